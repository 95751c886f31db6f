// The qemu-user translation log parser (core/vm/tblog.h) on logs captured from real
// qemu-x86_64 and qemu-aarch64 (fixtures/tblog/README), and on made-up logs for
// what real ones rarely show: continuation lines, data after the code, mistakes.
#include "vm/tblog.h"

#include "sys/fileio.h"

#include <QTest>

using hood::vm::parseTbLog;
using hood::vm::TbLog;

class TestTbLog : public QObject {
    Q_OBJECT
private slots:
    void captured_data();
    void captured();
    void hostTaggedWithGuest();
    void madeUp_data();
    void madeUp();
};

void TestTbLog::captured_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("blocks");
    QTest::addColumn<quint64>("firstPc");
    QTest::addColumn<int>("firstGuest");
    QTest::addColumn<int>("firstHost");
    QTest::addColumn<int>("firstSize");
    QTest::addColumn<QString>("firstText");
    QTest::addColumn<QString>("firstBytes");
    QTest::addColumn<int>("lastGuest");
    QTest::addColumn<int>("lastHost");
    // Counts by awk over the fixture (README), not by the parser.
    QTest::addRow("x86_64") << "x86_64-busybox-true.log" << 7 << quint64(0x40ebf0) << 11 << 36 << 184
                            << "xorl %ebp, %ebp" << "31 ed" << 8 << 34;
    QTest::addRow("aarch64") << "aarch64-busybox-true.log" << 6 << quint64(0x400580) << 12 << 28 << 160
                             << "nop" << "d503201f" << 3 << 44;
}

void TestTbLog::captured()
{
    QFETCH(QString, file);
    QFETCH(int, blocks);
    QFETCH(quint64, firstPc);
    QFETCH(int, firstGuest);
    QFETCH(int, firstHost);
    QFETCH(int, firstSize);
    QFETCH(QString, firstText);
    QFETCH(QString, firstBytes);
    QFETCH(int, lastGuest);
    QFETCH(int, lastHost);
    const TbLog log = parseTbLog(hood::readFile(HOOD_FIXTURES_DIR "/tblog/" + file.toStdString()));
    QVERIFY2(log.problems.empty(), log.problems.empty() ? "" : log.problems.front().c_str());
    QCOMPARE(int(log.blocks.size()), blocks);
    const auto &first = log.blocks.front();
    QCOMPARE(quint64(first.guestPc()), firstPc);
    QCOMPARE(int(first.guest.size()), firstGuest);
    QCOMPARE(int(first.host.size()), firstHost);
    QCOMPARE(int(first.hostSize), firstSize);
    QCOMPARE(QString::fromStdString(first.guest.front().text), firstText);
    QCOMPARE(QString::fromStdString(first.guest.front().bytes), firstBytes);
    QCOMPARE(int(log.blocks.back().guest.size()), lastGuest);
    QCOMPARE(int(log.blocks.back().host.size()), lastHost);
    QVERIFY(first.translated);
    QVERIFY(first.ratio() > 1.0);
    QVERIFY(hood::vm::overallRatio(log) > 1.0);
    QCOMPARE(log.prologueSize, 45u); // x86 host's prologue, in both logs
    QVERIFY(std::any_of(log.blocks.begin(), log.blocks.end(), [](const auto &tb) {
        return std::any_of(tb.host.begin(), tb.host.end(), [](const auto &h) { return h.slowPath; });
    }));
}

void TestTbLog::hostTaggedWithGuest()
{
    const TbLog log = parseTbLog(hood::readFile(HOOD_FIXTURES_DIR "/tblog/x86_64-busybox-true.log"));
    const auto &tb = log.blocks.front();
    // The first host instructions are the block's prologue, tagged with its first guest pc.
    QCOMPARE(quint64(tb.host.front().guest), quint64(0x40ebf0));
    QVERIFY(tb.host.front().prologue);
    QCOMPARE(QString::fromStdString(tb.host.front().text), QString("movl -8(%rbp), %ebx"));
    // "movl $0x31, 0xa8(%rbp)" goes on over two lines; its bytes are joined.
    auto it = std::find_if(tb.host.begin(), tb.host.end(), [](const auto &i) { return i.address == 0x7f0573c00184; });
    QVERIFY(it != tb.host.end());
    QCOMPARE(QString::fromStdString(it->bytes), QString("c7 85 a8 00 00 00 31 00 00 00"));
    QCOMPARE(quint64(it->guest), quint64(0x40ec0b));
    QVERIFY(!it->prologue);
    // Every host instruction belongs to one of the block's guest instructions, or
    // to the slow paths after them ("-- tb slow paths + alignment").
    for (const auto &h : tb.host)
        QVERIFY(h.slowPath || std::any_of(tb.guest.begin(), tb.guest.end(), [&](const auto &g) { return g.address == h.guest; }));
}

void TestTbLog::madeUp_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("blocks");
    QTest::addColumn<int>("guest");
    QTest::addColumn<int>("host");
    QTest::addColumn<int>("problems");
    QTest::addColumn<QString>("firstProblem");
    QTest::addRow("empty") << "" << 0 << 0 << 0 << 0 << "";
    QTest::addRow("in only") << "IN: main\n0x1000:  90  nop\n\n" << 1 << 1 << 0 << 0 << "";
    QTest::addRow("data skipped")
        << "IN: \n0x10:  c3  retq\n\nOUT: [size=16]\n  -- guest addr 0x10 + tb prologue\n"
           "0x7f00:  ff e0  jmpq *%rax\n  data: [size=8]\n0x7f08:  .quad  0x1\n\n"
        << 1 << 1 << 1 << 0 << "";
    QTest::addRow("out without in") << "OUT: [size=4]\n0x7f00:  90  nop\n" << 0 << 0 << 0 << 2
                                    << "line 1: OUT: without an IN: before it";
    QTest::addRow("garbage line") << "IN: \n0x10:  90  nop\nhello there\n" << 1 << 1 << 0 << 1
                                  << "line 3: not part of in_asm/out_asm: hello there";
    QTest::addRow("bad guest addr") << "IN: \n0x10:  90  nop\n\nOUT: [size=1]\n  -- guest addr 0xzz\n" << 1 << 1
                                    << 0 << 1 << "line 5: a guest address that is not hexadecimal";
    QTest::addRow("mnemonic made of hex letters") << "IN: \n0x10:  01 d8  add %ebx, %eax\n0x12:  fe c8  dec %al\n\n"
                                                  << 1 << 2 << 0 << 0 << "";
}

void TestTbLog::madeUp()
{
    QFETCH(QString, text);
    QFETCH(int, blocks);
    QFETCH(int, guest);
    QFETCH(int, host);
    QFETCH(int, problems);
    const TbLog log = parseTbLog(text.toStdString());
    QCOMPARE(int(log.blocks.size()), blocks);
    QCOMPARE(int(log.guestInsns), guest);
    QCOMPARE(int(log.hostInsns), host);
    QCOMPARE(int(log.problems.size()), problems);
    QFETCH(QString, firstProblem);
    if (!firstProblem.isEmpty())
        QCOMPARE(QString::fromStdString(log.problems.front()), firstProblem);
}

QTEST_APPLESS_MAIN(TestTbLog)
#include "tst_tblog.moc"
