#include "terminalscreen.h"

#include <algorithm>

namespace hood::gui {

TerminalScreen::TerminalScreen(int columns, int rows, int scrollback)
    : m_columns(std::max(columns, 10)), m_rows(std::max(rows, 2)), m_scrollback(scrollback)
{
    m_lines.append(TerminalLine());
}

void TerminalScreen::setSize(int columns, int rows)
{
    m_columns = std::max(columns, 10);
    m_rows = std::max(rows, 2);
}

void TerminalScreen::clear()
{
    m_lines = {TerminalLine()};
    m_cursorLine = m_cursorColumn = 0;
}

QByteArray TerminalScreen::takeResponse()
{
    return std::exchange(m_response, {});
}

QString TerminalScreen::lineText(int line) const
{
    QString s;
    for (const TerminalCell &c : m_lines.value(line))
        s += c.ch;
    while (s.endsWith(QLatin1Char(' ')))
        s.chop(1);
    return s;
}

QString TerminalScreen::text() const
{
    QStringList out;
    for (int i = 0; i < m_lines.size(); ++i)
        out << lineText(i);
    return out.join(QLatin1Char('\n'));
}

int TerminalScreen::screenTop() const
{
    return std::max(0, int(m_lines.size()) - m_rows);
}

TerminalLine &TerminalScreen::currentLine()
{
    return m_lines[m_cursorLine];
}

void TerminalScreen::feed(const QByteArray &bytes)
{
    const QString text = m_decoder.decode(bytes);
    for (QChar c : text) {
        const char16_t u = c.unicode();
        switch (m_state) {
        case State::Text:
            if (u == 0x1b)
                m_state = State::Escape;
            else if (u < 0x20 || u == 0x7f)
                control(u);
            else
                put(c);
            break;
        case State::Escape: escape(u); break;
        case State::Csi:
            if (u >= 0x40 && u <= 0x7e) {
                csi(u);
                m_state = State::Text;
            } else {
                m_params += c;
            }
            break;
        case State::Osc: // ESC ] ... BEL or ESC \ : a window title; nothing to show
            if (u == 0x07)
                m_state = State::Text;
            else if (u == 0x1b)
                m_state = State::OscEscape;
            break;
        case State::OscEscape: m_state = State::Text; break;
        case State::Charset: m_state = State::Text; break; // ESC ( B: one designator byte
        }
    }
    trimScrollback();
}

void TerminalScreen::put(QChar c)
{
    if (m_cursorColumn >= m_columns) {
        newLine();
        m_cursorColumn = 0;
    }
    TerminalLine &line = currentLine();
    if (line.size() <= m_cursorColumn)
        line.resize(m_cursorColumn + 1);
    line[m_cursorColumn] = TerminalCell {c, m_fg, m_bold};
    ++m_cursorColumn;
}

void TerminalScreen::control(char16_t c)
{
    switch (c) {
    case '\r': m_cursorColumn = 0; break;
    case '\n':
        newLine();
        if (m_newLineMode)
            m_cursorColumn = 0;
        break;
    case '\b': m_cursorColumn = std::max(0, std::min(m_cursorColumn, m_columns) - 1); break;
    case '\t': m_cursorColumn = std::min(m_columns - 1, (m_cursorColumn / 8 + 1) * 8); break;
    default: break; // BEL and the rest: nothing to draw
    }
}

void TerminalScreen::newLine()
{
    ++m_cursorLine;
    if (m_cursorLine >= m_lines.size())
        m_lines.append(TerminalLine());
}

void TerminalScreen::escape(char16_t c)
{
    m_state = State::Text;
    switch (c) {
    case '[': m_state = State::Csi; m_params.clear(); break;
    case ']': m_state = State::Osc; break;
    case '(': case ')': m_state = State::Charset; break;
    case '7': m_savedLine = m_cursorLine; m_savedColumn = m_cursorColumn; break;
    case '8': m_cursorLine = std::min(m_savedLine, int(m_lines.size()) - 1); m_cursorColumn = m_savedColumn; break;
    case 'c': clear(); break;
    default: break; // ESC = , ESC > (keypad modes) and others change nothing we draw
    }
}

int TerminalScreen::param(int i, int fallback) const
{
    QString p = m_params;
    if (p.startsWith(QLatin1Char('?')))
        p.remove(0, 1);
    const QStringList parts = p.split(QLatin1Char(';'));
    bool ok = false;
    const int v = parts.value(i).toInt(&ok);
    return ok ? v : fallback;
}

void TerminalScreen::moveTo(int screenRow, int column)
{
    const int target = screenTop() + std::clamp(screenRow, 0, m_rows - 1);
    while (m_lines.size() <= target)
        m_lines.append(TerminalLine());
    m_cursorLine = target;
    m_cursorColumn = std::clamp(column, 0, m_columns - 1);
}

void TerminalScreen::csi(char16_t final)
{
    const int row = m_cursorLine - screenTop();
    switch (final) {
    case 'm': sgr(); break;
    case 'K': eraseInLine(param(0, 0)); break;
    case 'J': eraseInDisplay(param(0, 0)); break;
    case 'H': case 'f': moveTo(param(0, 1) - 1, param(1, 1) - 1); break;
    case 'A': moveTo(row - std::max(1, param(0, 1)), m_cursorColumn); break;
    case 'B': moveTo(row + std::max(1, param(0, 1)), m_cursorColumn); break;
    case 'C': m_cursorColumn = std::min(m_columns - 1, m_cursorColumn + std::max(1, param(0, 1))); break;
    case 'D': m_cursorColumn = std::max(0, m_cursorColumn - std::max(1, param(0, 1))); break;
    case 'G': m_cursorColumn = std::clamp(param(0, 1) - 1, 0, m_columns - 1); break;
    case 'P': { // delete characters at the cursor
        TerminalLine &line = currentLine();
        if (m_cursorColumn < line.size())
            line.remove(m_cursorColumn, std::min<qsizetype>(std::max(1, param(0, 1)), line.size() - m_cursorColumn));
        break;
    }
    case '@': { // insert blanks at the cursor
        TerminalLine &line = currentLine();
        if (m_cursorColumn < line.size())
            line.insert(m_cursorColumn, std::max(1, param(0, 1)), TerminalCell());
        break;
    }
    case 'n':
        if (param(0, 0) == 6)
            m_response += QStringLiteral("\x1b[%1;%2R").arg(row + 1).arg(m_cursorColumn + 1).toLatin1();
        break;
    default: break; // modes (h, l), scroll regions (r) and the rest: no visible effect here
    }
}

void TerminalScreen::sgr()
{
    const QStringList parts = m_params.isEmpty() ? QStringList {QStringLiteral("0")} : m_params.split(QLatin1Char(';'));
    for (const QString &part : parts) {
        const int n = part.isEmpty() ? 0 : part.toInt();
        if (n == 0) {
            m_fg = -1;
            m_bold = false;
        } else if (n == 1) {
            m_bold = true;
        } else if (n == 22) {
            m_bold = false;
        } else if (n >= 30 && n <= 37) {
            m_fg = qint8(n - 30);
        } else if (n >= 90 && n <= 97) {
            m_fg = qint8(n - 90 + 8);
        } else if (n == 39) {
            m_fg = -1;
        }
    }
}

void TerminalScreen::eraseInLine(int mode)
{
    TerminalLine &line = currentLine();
    if (mode == 0) {
        if (m_cursorColumn < line.size())
            line.resize(m_cursorColumn);
    } else if (mode == 1) {
        for (int i = 0; i <= m_cursorColumn && i < line.size(); ++i)
            line[i] = TerminalCell();
    } else {
        line.clear();
    }
}

void TerminalScreen::eraseInDisplay(int mode)
{
    if (mode == 0) {
        eraseInLine(0);
        m_lines.resize(m_cursorLine + 1);
    } else if (mode == 2 || mode == 3) {
        // The screen's lines go blank; what scrolled off stays in the scrollback.
        for (int i = screenTop(); i < m_lines.size(); ++i)
            m_lines[i].clear();
    }
}

void TerminalScreen::trimScrollback()
{
    const int excess = int(m_lines.size()) - m_scrollback;
    if (excess <= 0)
        return;
    m_lines.remove(0, excess);
    m_cursorLine = std::max(0, m_cursorLine - excess);
}

} // namespace hood::gui
