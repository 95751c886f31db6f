// Sizes and CPUs as people write and read them (core/spec/units.h): one parser for
// hoodctl's flags, the launcher and lessons, one printer for every message and table.
#include "spec/units.h"
#include "error.h"

#include <QtTest>

using namespace hood;

namespace {

template <typename F>
QString errorOf(F parse)
{
    try {
        parse();
    } catch (const Error &e) {
        return QString::fromStdString(e.what());
    }
    return QStringLiteral("(accepted)");
}

const QString kNotASize = QStringLiteral("not a size (a number with an optional unit, such as 64M or 1G)");
const QString kPidsRule = QStringLiteral("must be a whole number of at least 1 (or -1 for no limit)");

} // namespace

class TestUnits : public QObject {
    Q_OBJECT

private slots:
    void parseBytes_data();
    void parseBytes();
    void parseBytesRejects_data();
    void parseBytesRejects();
    void formatBytes_data();
    void formatBytes();
    void formatBytesFlag_data();
    void formatBytesFlag();
    void cpus_data();
    void cpus();
    void pids_data();
    void pids();
};

void TestUnits::parseBytes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("bytes");
    QTest::addRow("bytes") << "100" << qint64(100);
    QTest::addRow("b") << "100b" << qint64(100);
    QTest::addRow("k") << "1k" << qint64(1024);
    QTest::addRow("M") << "64M" << qint64(64) * 1024 * 1024;
    QTest::addRow("m") << "64m" << qint64(64) * 1024 * 1024;
    QTest::addRow("MiB") << "64MiB" << qint64(64) * 1024 * 1024;
    QTest::addRow("mb") << "64mb" << qint64(64) * 1024 * 1024;
    QTest::addRow("fraction") << "1.5G" << qint64(3) * 512 * 1024 * 1024;
    QTest::addRow("T") << "2T" << qint64(2) * 1024 * 1024 * 1024 * 1024;
    QTest::addRow("zero") << "0" << qint64(0);
}

void TestUnits::parseBytes()
{
    QFETCH(QString, text);
    QFETCH(qint64, bytes);
    QCOMPARE(qint64(hood::parseBytes(text.toStdString(), "--memory")), bytes);
}

void TestUnits::parseBytesRejects_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    for (const char *bad : {"", "M", "64X", "64MM", "-1M", " 64M", "64 M", "0x10", "inf", "nan", "1e400"})
        QTest::addRow("%s", *bad ? bad : "empty") << bad << QStringLiteral("--memory %1: ").arg(bad) + kNotASize;
    QTest::addRow("too-large") << "9000000T" << "--memory 9000000T: is too large (at most 8E)";
}

void TestUnits::parseBytesRejects()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    QCOMPARE(errorOf([&] { hood::parseBytes(text.toStdString(), "--memory"); }), message);
}

void TestUnits::formatBytes_data()
{
    QTest::addColumn<quint64>("bytes");
    QTest::addColumn<QString>("text");
    QTest::addRow("zero") << quint64(0) << "0 B";
    QTest::addRow("below-kib") << quint64(1023) << "1023 B";
    QTest::addRow("kib") << quint64(1024) << "1 KiB";
    QTest::addRow("fraction") << quint64(1536) << "1.5 KiB";
    QTest::addRow("mib") << quint64(64) * 1024 * 1024 << "64 MiB";
    QTest::addRow("carry") << quint64(1048575) << "1 MiB";
    QTest::addRow("gib") << quint64(3) * 1024 * 1024 * 1024 << "3 GiB";
}

void TestUnits::formatBytes()
{
    QFETCH(quint64, bytes);
    QFETCH(QString, text);
    QCOMPARE(QString::fromStdString(hood::formatBytes(bytes)), text);
}

void TestUnits::formatBytesFlag_data()
{
    QTest::addColumn<qint64>("bytes");
    QTest::addColumn<QString>("flag");
    QTest::addRow("mebibytes") << qint64(64) * 1024 * 1024 << "64M";
    QTest::addRow("gibibytes") << qint64(2) * 1024 * 1024 * 1024 << "2G";
    QTest::addRow("kibibytes") << qint64(1024) << "1K";
    QTest::addRow("odd-bytes") << qint64(1500000) << "1500000";
    QTest::addRow("zero") << qint64(0) << "0";
}

// The flag form is what parseBytes reads back to the same number.
void TestUnits::formatBytesFlag()
{
    QFETCH(qint64, bytes);
    QFETCH(QString, flag);
    QCOMPARE(QString::fromStdString(hood::formatBytesFlag(bytes)), flag);
    QCOMPARE(qint64(hood::parseBytes(flag.toStdString(), "--memory")), bytes);
}

void TestUnits::cpus_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<double>("cpus");
    QTest::addColumn<QString>("message"); // empty: accepted, and formatCpus gives text back
    QTest::addRow("half") << "0.5" << 0.5 << "";
    QTest::addRow("two") << "2" << 2.0 << "";
    QTest::addRow("quarter") << "1.25" << 1.25 << "";
    QTest::addRow("word") << "x" << 0.0 << "--cpus x: not a number (CPUs, such as 0.5 or 2)";
    QTest::addRow("suffix") << "0.5x" << 0.0 << "--cpus 0.5x: not a number (CPUs, such as 0.5 or 2)";
    QTest::addRow("empty") << "" << 0.0 << "--cpus : not a number (CPUs, such as 0.5 or 2)";
}

void TestUnits::cpus()
{
    QFETCH(QString, text);
    QFETCH(double, cpus);
    QFETCH(QString, message);
    if (!message.isEmpty()) {
        QCOMPARE(errorOf([&] { hood::parseCpus(text.toStdString(), "--cpus"); }), message);
        return;
    }
    QCOMPARE(hood::parseCpus(text.toStdString(), "--cpus"), cpus);
    QCOMPARE(QString::fromStdString(hood::formatCpus(cpus)), text);
}

void TestUnits::pids_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("pids");
    QTest::addColumn<QString>("message");
    QTest::addRow("hundred") << "100" << qint64(100) << "";
    QTest::addRow("no-limit") << "-1" << qint64(-1) << "";
    for (const char *bad : {"0", "1.5", "-2", "x", ""})
        QTest::addRow("%s", *bad ? bad : "empty") << bad << qint64(0) << QStringLiteral("--pids %1: ").arg(bad) + kPidsRule;
}

void TestUnits::pids()
{
    QFETCH(QString, text);
    QFETCH(qint64, pids);
    QFETCH(QString, message);
    if (!message.isEmpty())
        QCOMPARE(errorOf([&] { hood::parsePids(text.toStdString(), "--pids"); }), message);
    else
        QCOMPARE(qint64(hood::parsePids(text.toStdString(), "--pids")), pids);
}

QTEST_GUILESS_MAIN(TestUnits)
#include "tst_units.moc"
