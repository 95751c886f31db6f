// Draws a TerminalScreen in a monospace font and turns key presses into the bytes a
// terminal would send (Enter is \r, Backspace is DEL, arrows are ESC [ A...).
#pragma once

#include "terminalscreen.h"

#include <QAbstractScrollArea>

namespace hood::gui {

class TerminalWidget : public QAbstractScrollArea {
    Q_OBJECT

public:
    explicit TerminalWidget(QWidget *parent = nullptr);

    void feed(const QByteArray &bytes);
    void clearScreen();
    void setReadOnly(bool readOnly) { m_readOnly = readOnly; }
    void setNewLineMode(bool on) { m_screen.setNewLineMode(on); }
    const TerminalScreen &screen() const { return m_screen; }

    // The bytes a key press sends; empty for keys a terminal ignores.
    static QByteArray bytesForKey(int key, Qt::KeyboardModifiers modifiers, const QString &text);

signals:
    void bytesTyped(const QByteArray &bytes);
    // The screen has a new number of rows or columns (the pty should follow).
    void sizeChanged(int rows, int columns);

protected:
    void paintEvent(QPaintEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    bool event(QEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;
    // Tab goes to the shell (completion), as in any terminal; Ctrl+1..9 leave the page.
    bool focusNextPrevChild(bool next) override { return m_readOnly && QAbstractScrollArea::focusNextPrevChild(next); }

private:
    void updateScroll(bool toBottom);
    QColor cellColor(qint8 index) const;

    TerminalScreen m_screen;
    bool m_readOnly = false;
};

} // namespace hood::gui
