// The measure action's figures from hoodctl's JSON (app/gui/lessons/measureresult.h),
// on real output of this machine's hoodctl (fixtures/measure/README), and the
// vocabulary's checks of the action.
#include "lessonvocabulary.h"
#include "measureresult.h"

#include <QFile>
#include <QJsonObject>
#include <QTest>

using namespace hood::gui;

namespace {

QByteArray fixture(const QString &name)
{
    QFile f(QStringLiteral(HOOD_FIXTURES_DIR "/measure/") + name);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestMeasureResult : public QObject {
    Q_OBJECT
private slots:
    void arguments_data();
    void arguments();
    void vmBoot();
    void translate();
    void kvmNotUsableIsNoFailure();
    void bars();
    void failures_data();
    void failures();
    void vocabulary();
};

void TestMeasureResult::arguments_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QStringList>("args");
    QTest::addRow("vm-boot") << "vm-boot" << QStringList{"vm", "boot", "--json"};
    QTest::addRow("translate") << "translate" << QStringList{"vm", "translate", "--json"};
    QTest::addRow("translate-x86") << "translate-x86" << QStringList{"vm", "translate", "--arch", "x86_64", "--json"};
    QTest::addRow("switches") << "switches" << QStringList{"measure", "switches", "--json"};
    QTest::addRow("proot") << "proot" << QStringList{"measure", "proot", "--json"};
    QTest::addRow("kvm") << "kvm" << QStringList{"vm", "kvm", "--json"};
    for (const char *engine : {"image", "build", "network", "seccomp", "runc"})
        QTest::addRow("%s", engine) << engine << QStringList{"measure", engine, "--json"};
    QTest::addRow("unknown") << "nope" << QStringList{};
}

void TestMeasureResult::arguments()
{
    QFETCH(QString, what);
    QFETCH(QStringList, args);
    QCOMPARE(measureArguments(what), args);
    QCOMPARE(measureNames().contains(what), !args.isEmpty());
}

void TestMeasureResult::vmBoot()
{
    const MeasureResult r = measureResult("vm-boot", fixture("vm-boot.json"), 0);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.bars.size(), 2);
    QCOMPARE(r.bars[0].label, QString("VM (TCG) to its /init"));
    QCOMPARE(r.bars[0].value, 8200.0);
    QCOMPARE(r.bars[1].value, 11.0);
    QCOMPARE(r.unit, QString("ms"));
    QVERIFY(r.summary.startsWith("The VM took 746 times as long."));
    QVERIFY(r.summary.contains("TCG"));
    QVERIFY(!r.method.isEmpty());
}

void TestMeasureResult::translate()
{
    const MeasureResult r = measureResult("translate", fixture("translate.json"), 0);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.bars.size(), 2);
    QVERIFY(r.bars[1].value > r.bars[0].value);
    QVERIFY(r.summary.startsWith("728 translation blocks: 3546 guest instructions became 26817 host instructions"));
    QCOMPARE(r.blocks.size(), 2);
    const MeasureBlock &b = r.blocks[0];
    QCOMPARE(b.pc, QString("0x400580"));
    QCOMPARE(b.guest.size(), 12);
    QCOMPARE(b.guest[0], QString("nop"));
    QCOMPARE(b.host.size(), b.guest.size());
    // mov x5, x0: a load from QEMU's copy of x0 and a store to its copy of x5.
    QCOMPARE(b.guest[3], QString("mov x5, x0"));
    QCOMPARE(b.host[3], (QStringList{"movq 0x40(%rbp), %rbx", "movq %rbx, 0x68(%rbp)"}));
}

void TestMeasureResult::kvmNotUsableIsNoFailure()
{
    const MeasureResult r = measureResult("kvm", fixture("kvm.json"), 1);
    QVERIFY(r.error.isEmpty());
    QCOMPARE(r.bars.size(), 1);
    QVERIFY(r.bars[0].value > 0);
    QVERIFY(r.summary.startsWith("KVM is not usable."));
}

void TestMeasureResult::bars()
{
    const MeasureResult r = measureResult("switches", fixture("switches.json"), 0);
    QVERIFY(r.error.isEmpty());
    QCOMPARE(r.bars.size(), 6);
    QCOMPARE(r.bars[4].label, QString("A beside B: % of CPU 0"));
    QCOMPARE(r.bars[4].value, 25.0);
    QVERIFY(r.title.startsWith("Two busy containers"));
}

void TestMeasureResult::failures_data()
{
    QTest::addColumn<QByteArray>("output");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("error");
    QTest::addRow("stderr sentence") << QByteArray("hoodctl: measure proot: proot not found: install the Debian package proot\n")
                                     << 125 << "measure proot: proot not found: install the Debian package proot";
    QTest::addRow("nothing said") << QByteArray() << 125 << "hoodctl ended with status 125 and said nothing";
    QTest::addRow("json but failed") << QByteArray(R"({"title": "t", "bars": []})") << 1 << "hoodctl ended with status 1";
}

void TestMeasureResult::failures()
{
    QFETCH(QByteArray, output);
    QFETCH(int, code);
    QFETCH(QString, error);
    QCOMPARE(measureResult("proot", output, code).error, error);
}

void TestMeasureResult::vocabulary()
{
    QVERIFY(lessonActionNames().contains("measure"));
    QCOMPARE(checkAction("measure", QJsonObject{{"what", "vm-boot"}}), QString());
    QVERIFY(checkAction("measure", QJsonObject{}).contains("argument \"what\" is missing"));
    QVERIFY(checkAction("measure", QJsonObject{{"what", "xen"}}).contains("must be one of vm-boot"));
}

QTEST_GUILESS_MAIN(TestMeasureResult)
#include "tst_measureresult.moc"
