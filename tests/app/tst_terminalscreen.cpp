// TerminalScreen: what busybox sh sends, and what the Console shows.
#include "terminalscreen.h"

#include <QStandardPaths>
#include <QtTest>

using hood::gui::TerminalScreen;

class TestTerminalScreen : public QObject {
    Q_OBJECT

public:
    // Before anything makes a QSettings: the test's settings go to a test location
    // (~/.qttest), never to the person's own.
    static void initMain() { QStandardPaths::setTestModeEnabled(true); }

private slots:
    void rendersText_data();
    void rendersText();
    void answersCursorPositionRequests();
    void keepsColoursPerCell();
    void wrapsAtTheRightEdge();
    void dropsOldLinesPastTheScrollback();
    void decodesUtf8SplitAcrossReads();
    void logsWithoutCarriageReturns();
};

void TestTerminalScreen::rendersText_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("cursorColumn");
    QTest::addRow("plain lines") << QByteArray("one\r\ntwo") << "one\ntwo" << 3;
    QTest::addRow("carriage return overwrites") << QByteArray("hello\rJ") << "Jello" << 1;
    QTest::addRow("backspace moves left") << QByteArray("abc\b\bX") << "aXc" << 2;
    QTest::addRow("backspace at column 0 stays") << QByteArray("\bA") << "A" << 1;
    QTest::addRow("tab to column 8") << QByteArray("a\tb") << "a       b" << 9;
    QTest::addRow("erase to end of line") << QByteArray("abcdef\r\x1b[3C\x1b[K") << "abc" << 3;
    QTest::addRow("erase whole line") << QByteArray("abcdef\x1b[2K") << "" << 6;
    QTest::addRow("colour codes vanish") << QByteArray("\x1b[1;34mbin\x1b[0m  \x1b[32metc\x1b[m") << "bin  etc" << 8;
    QTest::addRow("window title vanishes") << QByteArray("\x1b]0;title\x07ok") << "ok" << 2;
    QTest::addRow("charset designation vanishes") << QByteArray("\x1b(Bok") << "ok" << 2;
    QTest::addRow("private modes vanish") << QByteArray("\x1b[?2004hok\x1b[?25l") << "ok" << 2;
    QTest::addRow("busybox redraws the line") << QByteArray("/ # lss\b \b\r\x1b[K/ # ls") << "/ # ls" << 6;
    QTest::addRow("delete characters") << QByteArray("abcdef\r\x1b[1C\x1b[2P") << "adef" << 1;
    QTest::addRow("insert blanks") << QByteArray("abc\r\x1b[1C\x1b[2@") << "a  bc" << 1;
    QTest::addRow("clear screen keeps nothing visible") << QByteArray("old\r\n\x1b[H\x1b[2Jnew") << "new\n" << 3;
    QTest::addRow("cursor up and overwrite") << QByteArray("1\r\n2\x1b[A\rX") << "X\n2" << 1;
}

void TestTerminalScreen::rendersText()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, text);
    QFETCH(int, cursorColumn);
    TerminalScreen screen(80, 24);
    screen.feed(input);
    QCOMPARE(screen.text(), text);
    QCOMPARE(screen.cursorColumn(), cursorColumn);
}

void TestTerminalScreen::answersCursorPositionRequests()
{
    TerminalScreen screen(80, 24);
    screen.feed("line\r\n/ # \x1b[6n");
    QCOMPARE(screen.takeResponse(), QByteArray("\x1b[2;5R"));
    QVERIFY(screen.takeResponse().isEmpty());
    QCOMPARE(screen.text(), QStringLiteral("line\n/ #"));
}

void TestTerminalScreen::keepsColoursPerCell()
{
    TerminalScreen screen(80, 24);
    screen.feed("\x1b[1;31mE\x1b[0mx\x1b[94mb");
    const auto &line = screen.lines().at(0);
    QCOMPARE(line.size(), 3);
    QCOMPARE(line[0].fg, qint8(1));
    QVERIFY(line[0].bold);
    QCOMPARE(line[1].fg, qint8(-1));
    QVERIFY(!line[1].bold);
    QCOMPARE(line[2].fg, qint8(12));
}

void TestTerminalScreen::wrapsAtTheRightEdge()
{
    TerminalScreen screen(10, 5);
    screen.feed("0123456789abc");
    QCOMPARE(screen.text(), QStringLiteral("0123456789\nabc"));
    QCOMPARE(screen.cursorLine(), 1);
}

void TestTerminalScreen::dropsOldLinesPastTheScrollback()
{
    TerminalScreen screen(80, 5, 100);
    for (int i = 0; i < 250; ++i)
        screen.feed(QByteArray::number(i) + "\r\n");
    QCOMPARE(screen.lines().size(), 100);
    QCOMPARE(screen.lineText(98), QStringLiteral("249"));
    QCOMPARE(screen.cursorLine(), 99);
}

void TestTerminalScreen::decodesUtf8SplitAcrossReads()
{
    TerminalScreen screen(80, 5);
    const QByteArray e = QStringLiteral("é✔").toUtf8();
    screen.feed(e.left(1));
    screen.feed(e.mid(1, 2));
    screen.feed(e.mid(3));
    QCOMPARE(screen.text(), QStringLiteral("é✔"));
}

void TestTerminalScreen::logsWithoutCarriageReturns()
{
    TerminalScreen terminal(80, 5);
    terminal.feed("filling\nKilled\n");
    QCOMPARE(terminal.text(), QStringLiteral("filling\n       Killed\n")); // a raw LF keeps the column
    TerminalScreen log(80, 5);
    log.setNewLineMode(true);
    log.feed("filling\nKilled\n");
    QCOMPARE(log.text(), QStringLiteral("filling\nKilled\n"));
}

QTEST_GUILESS_MAIN(TestTerminalScreen)
#include "tst_terminalscreen.moc"
