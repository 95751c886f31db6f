#include "terminalwidget.h"

#include "theme.h"

#include <QApplication>
#include <QClipboard>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>

namespace hood::gui {

TerminalWidget::TerminalWidget(QWidget *parent) : QAbstractScrollArea(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setFont(theme::monospaceFont());
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    viewport()->setCursor(Qt::IBeamCursor);
    setAttribute(Qt::WA_InputMethodEnabled, false);
}

void TerminalWidget::feed(const QByteArray &bytes)
{
    QScrollBar *bar = verticalScrollBar();
    const bool atBottom = bar->value() >= bar->maximum();
    m_screen.feed(bytes);
    const QByteArray answer = m_screen.takeResponse();
    if (!answer.isEmpty() && !m_readOnly)
        emit bytesTyped(answer);
    updateScroll(atBottom);
    viewport()->update();
}

void TerminalWidget::clearScreen()
{
    m_screen.clear();
    updateScroll(true);
    viewport()->update();
}

void TerminalWidget::updateScroll(bool toBottom)
{
    const QFontMetrics fm(font());
    const int visible = std::max(1, viewport()->height() / fm.lineSpacing());
    QScrollBar *bar = verticalScrollBar();
    bar->setRange(0, std::max(0, int(m_screen.lines().size()) - visible));
    bar->setPageStep(visible);
    if (toBottom)
        bar->setValue(bar->maximum());
}

void TerminalWidget::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    const QFontMetrics fm(font());
    const int columns = std::max(20, viewport()->width() / std::max(1, fm.horizontalAdvance(QLatin1Char('M'))) - 1);
    const int rows = std::max(4, viewport()->height() / fm.lineSpacing());
    const bool changed = columns != m_screen.columns() || rows != m_screen.rows();
    m_screen.setSize(columns, rows);
    updateScroll(true);
    if (changed)
        emit sizeChanged(rows, columns);
}

QColor TerminalWidget::cellColor(qint8 index) const
{
    const bool dark = theme::isDark(palette());
    static const char *darkColors[] = {"#555555", "#ff6b6b", "#81c784", "#ffd54f", "#64b5f6", "#ce93d8", "#4dd0e1", "#e0e0e0"};
    static const char *lightColors[] = {"#000000", "#c62828", "#2e7d32", "#8d6e00", "#1565c0", "#6a1b9a", "#00838f", "#616161"};
    if (index < 0)
        return palette().color(QPalette::Text);
    const QColor c(dark ? darkColors[index % 8] : lightColors[index % 8]);
    return index >= 8 ? (dark ? c.lighter(120) : c.darker(120)) : c;
}

void TerminalWidget::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    p.fillRect(viewport()->rect(), palette().base());
    const QFontMetrics fm(font());
    const int lh = fm.lineSpacing();
    const int cw = fm.horizontalAdvance(QLatin1Char('M'));
    const int first = verticalScrollBar()->value();
    const int count = viewport()->height() / lh + 1;
    const auto &lines = m_screen.lines();
    QFont bold = font();
    bold.setBold(true);
    for (int i = 0; i < count && first + i < lines.size(); ++i) {
        const TerminalLine &line = lines[first + i];
        const int y = i * lh + fm.ascent() + 2;
        // Runs of one colour and weight are drawn as one string.
        int start = 0;
        while (start < line.size()) {
            int end = start;
            QString run;
            while (end < line.size() && line[end].fg == line[start].fg && line[end].bold == line[start].bold)
                run += line[end++].ch;
            p.setPen(cellColor(line[start].fg));
            p.setFont(line[start].bold ? bold : font());
            p.drawText(4 + start * cw, y, run);
            start = end;
        }
    }
    const int row = m_screen.cursorLine() - first;
    if (row >= 0 && row < count && !m_readOnly) {
        const QRect cursor(4 + m_screen.cursorColumn() * cw, row * lh + 2, cw, lh);
        if (hasFocus())
            p.fillRect(cursor, QColor(palette().color(QPalette::Text).red(), palette().color(QPalette::Text).green(),
                                      palette().color(QPalette::Text).blue(), 110));
        else
            p.drawRect(cursor.adjusted(0, 0, -1, -1));
    }
}

QByteArray TerminalWidget::bytesForKey(int key, Qt::KeyboardModifiers mods, const QString &text)
{
    switch (key) {
    case Qt::Key_Return: case Qt::Key_Enter: return "\r";
    case Qt::Key_Backspace: return "\x7f";
    case Qt::Key_Tab: return "\t";
    case Qt::Key_Escape: return "\x1b";
    case Qt::Key_Up: return "\x1b[A";
    case Qt::Key_Down: return "\x1b[B";
    case Qt::Key_Right: return "\x1b[C";
    case Qt::Key_Left: return "\x1b[D";
    case Qt::Key_Home: return "\x1b[H";
    case Qt::Key_End: return "\x1b[F";
    case Qt::Key_Delete: return "\x1b[3~";
    default: break;
    }
    if ((mods & Qt::ControlModifier) && key >= Qt::Key_A && key <= Qt::Key_Z)
        return QByteArray(1, char(key - Qt::Key_A + 1)); // ^A .. ^Z: ^C is SIGINT, ^D end of input
    return text.toUtf8();
}

// Ctrl+letter belongs to the program in the terminal (^C, ^D, ^L), not to the
// window's shortcuts; Ctrl+Shift+... and function keys still reach the window.
bool TerminalWidget::event(QEvent *e)
{
    if (e->type() == QEvent::FontChange) {
        // A new size of cell: the same pixels hold other numbers of rows and columns.
        QResizeEvent resize(viewport()->size(), viewport()->size());
        resizeEvent(&resize);
    }
    if (e->type() == QEvent::ShortcutOverride) {
        auto *k = static_cast<QKeyEvent *>(e);
        const bool ctrlLetter =
            k->modifiers() == Qt::ControlModifier && k->key() >= Qt::Key_A && k->key() <= Qt::Key_Z;
        // The shell's arrows (history, cursor) over the lessons' presentation keys.
        const bool arrow = k->modifiers() == Qt::NoModifier
                           && (k->key() == Qt::Key_Left || k->key() == Qt::Key_Right || k->key() == Qt::Key_Up
                               || k->key() == Qt::Key_Down);
        if (!m_readOnly && (ctrlLetter || arrow)) {
            e->accept();
            return true;
        }
    }
    return QAbstractScrollArea::event(e);
}

void TerminalWidget::keyPressEvent(QKeyEvent *e)
{
    if (e->matches(QKeySequence::Copy) || (e->modifiers() == (Qt::ControlModifier | Qt::ShiftModifier) && e->key() == Qt::Key_C)) {
        QApplication::clipboard()->setText(m_screen.text());
        return;
    }
    if (e->modifiers() == (Qt::ControlModifier | Qt::ShiftModifier) && e->key() == Qt::Key_V) {
        if (!m_readOnly)
            emit bytesTyped(QApplication::clipboard()->text().toUtf8());
        return;
    }
    if (e->key() == Qt::Key_PageUp || e->key() == Qt::Key_PageDown) {
        QScrollBar *bar = verticalScrollBar();
        bar->setValue(bar->value() + (e->key() == Qt::Key_PageUp ? -bar->pageStep() : bar->pageStep()));
        return;
    }
    const QByteArray bytes = bytesForKey(e->key(), e->modifiers(), e->text());
    if (m_readOnly || bytes.isEmpty()) {
        QAbstractScrollArea::keyPressEvent(e);
        return;
    }
    emit bytesTyped(bytes);
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
}

void TerminalWidget::focusInEvent(QFocusEvent *e)
{
    QAbstractScrollArea::focusInEvent(e);
    viewport()->update();
}

void TerminalWidget::focusOutEvent(QFocusEvent *e)
{
    QAbstractScrollArea::focusOutEvent(e);
    viewport()->update();
}

} // namespace hood::gui
