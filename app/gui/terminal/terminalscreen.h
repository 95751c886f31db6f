// A small terminal emulator: enough of a VT100/xterm for busybox sh and its line
// editing. Bytes in (UTF-8 and escape sequences), a grid of cells out. It handles
// \r \n \b \t, SGR colours, erase in line / display, cursor movement and the
// cursor position report (ESC[6n, which busybox asks for); every other sequence is
// consumed whole, so it never shows up as garbage. Pure: no widget, no I/O.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringDecoder>
#include <QVector>

namespace hood::gui {

struct TerminalCell {
    QChar ch = QLatin1Char(' ');
    qint8 fg = -1; // -1 default, 0..15 the ANSI colours
    bool bold = false;
    bool operator==(const TerminalCell &) const = default;
};

using TerminalLine = QVector<TerminalCell>;

class TerminalScreen {
public:
    explicit TerminalScreen(int columns = 80, int rows = 24, int scrollback = 5000);

    void feed(const QByteArray &bytes);
    void setSize(int columns, int rows);
    void clear();
    // Line feed also returns the carriage, as for a log file written without a
    // terminal (no ONLCR turning \n into \r\n); a terminal's output keeps it off.
    void setNewLineMode(bool on) { m_newLineMode = on; }

    int columns() const { return m_columns; }
    int rows() const { return m_rows; }
    const QVector<TerminalLine> &lines() const { return m_lines; }
    QString lineText(int line) const; // without trailing blanks
    QString text() const;             // every line, joined by \n
    int cursorLine() const { return m_cursorLine; }
    int cursorColumn() const { return m_cursorColumn; }
    // Answers the program expects (cursor position reports); write them back to it.
    QByteArray takeResponse();

private:
    enum class State { Text, Escape, Csi, Osc, OscEscape, Charset };

    void put(QChar c);
    void control(char16_t c);
    void escape(char16_t c);
    void csi(char16_t final);
    void sgr();
    void eraseInLine(int mode);
    void eraseInDisplay(int mode);
    void newLine();
    void moveTo(int screenRow, int column);
    int screenTop() const;
    int param(int i, int fallback) const;
    TerminalLine &currentLine();
    void trimScrollback();

    int m_columns;
    int m_rows;
    int m_scrollback;
    QVector<TerminalLine> m_lines;
    int m_cursorLine = 0;
    int m_cursorColumn = 0;
    int m_savedLine = 0;
    int m_savedColumn = 0;
    qint8 m_fg = -1;
    bool m_bold = false;
    bool m_newLineMode = false;
    State m_state = State::Text;
    QString m_params;
    QByteArray m_response;
    QStringDecoder m_decoder {QStringDecoder::Utf8};
};

} // namespace hood::gui
