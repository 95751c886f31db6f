// trace.json, the engine's record of a container's start, read by a pure parser:
// fixtures in tests/app/fixtures/trace (a real-looking start, malformed, empty) and
// one exact sentence for each kind of mistake.
#include "starttrace.h"

#include <QStandardPaths>
#include <QtTest>

using namespace hood::gui;

namespace {

const QString kTraces = QStringLiteral(HOOD_FIXTURES_DIR "/trace/");

QByteArray fixture(const QString &name)
{
    QFile f(kTraces + name);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("unreadable fixture");
}

} // namespace

class TestStartTrace : public QObject {
    Q_OBJECT

public:
    static void initMain() { QStandardPaths::setTestModeEnabled(true); }

private slots:
    void readsAStart();
    void unknownPhaseIsOther();
    void phaseTotals();
    void totalCoversTheSteps();
    void noSteps();
    void errors_data();
    void errors();
    void missingFileIsNoError();
    void readsFromTheStateDir();
    void formatsMicros_data();
    void formatsMicros();
};

void TestStartTrace::readsAStart()
{
    const StartTraceParse p = parseStartTrace(fixture("good.json"), "good.json");
    QVERIFY2(p.trace, qPrintable(p.error));
    const StartTrace &t = *p.trace;
    QCOMPARE(t.totalUs, 5980.4);
    QCOMPARE(t.steps.size(), 36);
    const StartStep &first = t.steps.first();
    QCOMPARE(first.process, "monitor");
    QCOMPARE(first.phase, "state");
    QCOMPARE(first.op, "mkdir");
    QCOMPARE(first.args, "/run/hood/web");
    QVERIFY(!first.failed());
    QCOMPARE(t.failedCount(), 1);
    const auto failed = std::find_if(t.steps.begin(), t.steps.end(), [](const StartStep &s) { return s.failed(); });
    QCOMPARE(failed->op, "mount");
    QCOMPARE(failed->error, 13);
    QCOMPARE(failed->result, "permission denied");
    QCOMPARE(failed->process, "init");
    QCOMPARE(t.steps.last().op, "execve");
    QVERIFY(std::is_sorted(t.steps.begin(), t.steps.end(),
                           [](const StartStep &a, const StartStep &b) { return a.startUs < b.startUs; }));
}

void TestStartTrace::unknownPhaseIsOther()
{
    const StartTraceParse p = parseStartTrace(fixture("good.json"), "good.json");
    QVERIFY(p.trace);
    const auto other = std::find_if(p.trace->steps.begin(), p.trace->steps.end(),
                                    [](const StartStep &s) { return s.op == "seccomp"; });
    QVERIFY(other != p.trace->steps.end());
    QCOMPARE(other->phase, "other");
    QCOMPARE(other->rawPhase, "seccomp");
    QCOMPARE(QString::fromLatin1(startPhase("seccomp").key), "other");
    QCOMPARE(QString::fromLatin1(startPhase("pivot_root").key), "pivot_root");
}

void TestStartTrace::phaseTotals()
{
    const StartTrace t = *parseStartTrace(fixture("good.json"), "good.json").trace;
    const QVector<PhaseTotal> totals = t.phaseTotals();
    QStringList phases;
    for (const PhaseTotal &p : totals)
        phases << p.phase;
    // In the order of a start, each phase once, "other" last.
    QCOMPARE(phases, QStringList({"state", "cgroup", "clone", "namespaces", "mounts", "pivot_root", "process",
                                  "exec", "other"}));
    const PhaseTotal &cgroup = totals[1];
    QCOMPARE(cgroup.steps, 9); // 5 mkdir, 3 limits, cgroup.procs
    QCOMPARE(cgroup.us, 5 * 35.2 + 14.8 + 11.2 + 9.6 + 1480.0);
    const PhaseTotal &mounts = totals[4];
    QCOMPARE(mounts.failed, 1);
    double sum = 0;
    for (const PhaseTotal &p : totals)
        sum += p.us;
    double steps = 0;
    for (const StartStep &s : t.steps)
        steps += s.durationUs;
    QCOMPARE(sum, steps);
}

void TestStartTrace::totalCoversTheSteps()
{
    const QByteArray json = R"({"steps": [{"phase": "exec", "op": "execve", "args": "/bin/sh",
        "startUs": 100, "durationUs": 50}, {"phase": "clone", "op": "clone3", "startUs": 10, "durationUs": 5}]})";
    const StartTraceParse p = parseStartTrace(json, "t.json");
    QVERIFY2(p.trace, qPrintable(p.error));
    QCOMPARE(p.trace->totalUs, 150.0);
    QCOMPARE(p.trace->steps.first().op, "clone3");
    QCOMPARE(p.trace->steps.first().process, QString());
    QVERIFY(!p.trace->steps.first().failed());
}

void TestStartTrace::noSteps()
{
    const StartTraceParse p = parseStartTrace(fixture("no-steps.json"), "no-steps.json");
    QVERIFY2(p.trace, qPrintable(p.error));
    QVERIFY(p.trace->steps.isEmpty());
    QVERIFY(p.trace->phaseTotals().isEmpty());
}

void TestStartTrace::errors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    QTest::addRow("empty") << fixture("empty.json") << "t.json: the file is empty";
    QTest::addRow("malformed") << fixture("malformed.json") << "t.json: not JSON: unterminated object at byte 87";
    QTest::addRow("negative-start") << fixture("bad-start.json")
                                    << "t.json: step 1: \"startUs\" must be a number of microseconds, 0 or more";
    QTest::addRow("an-array") << QByteArray("[]") << "t.json: must be a JSON object with \"steps\"";
    QTest::addRow("no-steps-key") << QByteArray(R"({"totalUs": 5})") << "t.json: \"steps\" must be a list of steps";
    QTest::addRow("total-a-string") << QByteArray(R"({"totalUs": "6 ms", "steps": []})")
                                    << "t.json: \"totalUs\" must be a number of microseconds, 0 or more";
    QTest::addRow("step-not-an-object") << QByteArray(R"({"steps": [3]})") << "t.json: step 1: must be a JSON object";
    QTest::addRow("no-op") << QByteArray(R"({"steps": [{"phase": "exec", "startUs": 1, "durationUs": 1}]})")
                           << "t.json: step 1: \"op\" must be a non-empty string";
    QTest::addRow("args-a-number")
        << QByteArray(R"({"steps": [{"phase": "exec", "op": "execve", "args": 7, "startUs": 1, "durationUs": 1}]})")
        << "t.json: step 1: \"args\" must be a string";
    QTest::addRow("no-duration") << QByteArray(R"({"steps": [{"phase": "exec", "op": "execve", "startUs": 1}]})")
                                 << "t.json: step 1: \"durationUs\" must be a number of microseconds, 0 or more";
    QTest::addRow("bad-errno")
        << QByteArray(R"({"steps": [{"phase": "exec", "op": "execve", "startUs": 1, "durationUs": 1, "errno": -2}]})")
        << "t.json: step 1: \"errno\" must be a whole number from 0 to 4095";
}

void TestStartTrace::errors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    const StartTraceParse p = parseStartTrace(json, "t.json");
    QVERIFY(!p.trace);
    QCOMPARE(p.error, error);
}

void TestStartTrace::missingFileIsNoError()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const StartTraceParse p = readStartTrace(dir.path());
    QVERIFY(!p.trace);
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
}

void TestStartTrace::readsFromTheStateDir()
{
    QTemporaryDir dir;
    QVERIFY(QFile::copy(kTraces + "good.json", dir.filePath("trace.json")));
    const StartTraceParse p = readStartTrace(dir.path());
    QVERIFY2(p.trace, qPrintable(p.error));
    QCOMPARE(p.trace->steps.size(), 36);
    QFile broken(dir.filePath("trace.json"));
    QVERIFY(broken.open(QIODevice::WriteOnly | QIODevice::Truncate));
    broken.close();
    QCOMPARE(readStartTrace(dir.path()).error, dir.filePath("trace.json") + ": the file is empty");
}

void TestStartTrace::formatsMicros_data()
{
    QTest::addColumn<double>("us");
    QTest::addColumn<QString>("text");
    QTest::addRow("tiny") << 0.8 << QString::fromUtf8("0.8 µs");
    QTest::addRow("micros") << 35.2 << QString::fromUtf8("35 µs");
    QTest::addRow("millis") << 1480.0 << "1.48 ms";
    QTest::addRow("tens-of-millis") << 25400.0 << "25.4 ms";
}

void TestStartTrace::formatsMicros()
{
    QFETCH(double, us);
    QFETCH(QString, text);
    QCOMPARE(formatMicros(us), text);
}

QTEST_GUILESS_MAIN(TestStartTrace)
#include "tst_starttrace.moc"
