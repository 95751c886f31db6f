// The start-up trace: steps recorded by Scope, their JSON (trace.json, the wire
// format between init and monitor) and the table of `hoodctl run --trace`.
#include "runtime/trace.h"
#include "error.h"

#include <QtTest>

using namespace hood;
using namespace hood::trace;

class TestTrace : public QObject {
    Q_OBJECT

private slots:
    void scopeRecordsInOrder()
    {
        begin("monitor");
        {
            Scope a(Phase::State, "mkdir", "/run/hood/x");
        }
        {
            Scope b(Phase::Mounts, "mount proc", "proc on /proc");
            b.fail(EPERM);
        }
        const std::vector<Step> &s = steps();
        QCOMPARE(s.size(), size_t(2));
        QCOMPARE(QString::fromStdString(s[0].op), QString("mkdir"));
        QCOMPARE(QString::fromStdString(s[0].result), QString("ok"));
        QCOMPARE(QString::fromStdString(s[0].process), QString("monitor"));
        QCOMPARE(s[1].err, EPERM);
        QCOMPARE(QString::fromStdString(s[1].result), QString("operation not permitted"));
        QVERIFY(s[1].startUs >= s[0].startUs + s[0].durationUs);
        continueAs("init");
        QVERIFY(steps().empty());
        double before = now();
        QVERIFY(before > 0); // the origin survives continueAs: one time axis for both processes
    }

    void jsonRoundTrip_data()
    {
        QTest::addColumn<bool>("compact");
        QTest::addRow("pretty") << false;
        QTest::addRow("compact") << true;
    }

    void jsonRoundTrip()
    {
        QFETCH(bool, compact);
        Trace t;
        t.totalUs = 5980.4;
        t.steps.push_back({"monitor", Phase::Cgroup, "mkdir", "/sys/fs/cgroup/memory/hood/web", 0, "ok", 120.5, 35.2});
        t.steps.push_back({"init", Phase::PivotRoot, "pivot_root", "/run/hood/web/rootfs/merged", 13,
                           "permission denied", 900.0, 12.0});
        std::string text = toJson(t, compact);
        QCOMPARE(compact, text.find("\n") == text.size() - 1);
        Trace back = fromJson(text, "trace.json");
        QCOMPARE(back.totalUs, 5980.4);
        QCOMPARE(back.steps.size(), size_t(2));
        QCOMPARE(back.steps[1].phase, Phase::PivotRoot);
        QCOMPARE(back.steps[1].err, 13);
        QCOMPARE(QString::fromStdString(back.steps[1].process), QString("init"));
        QCOMPARE(back.steps[0].startUs, 120.5);
    }

    // The init's steps cross to the monitor as tab-separated lines.
    void linesRoundTrip()
    {
        std::vector<Step> steps = {
            {"init", Phase::Mounts, "mount bind", "/a\tb on /c", 0, "ok", 12.5, 3.25},
            {"init", Phase::Process, "find executable", "nope", 2, "no such file or directory", 40, 1}};
        std::string text = toLines(steps) + "torn\tline\n";
        std::vector<Step> back = fromLines(text);
        QCOMPARE(back.size(), size_t(2));
        QCOMPARE(QString::fromStdString(back[0].args), QString("/a b on /c")); // a tab cannot pass
        QVERIFY(qAbs(back[0].durationUs - 3.25) < 0.06); // tenths of a microsecond
        QCOMPARE(back[1].phase, Phase::Process);
        QCOMPARE(back[1].err, 2);
        QCOMPARE(back[1].startUs, 40.0);
    }

    void malformed_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::addRow("not-json") << "{" << "trace.json is not a start-up trace";
        QTest::addRow("no-steps") << R"({"totalUs": 1})" << "trace.json is not a start-up trace";
        QTest::addRow("bad-phase")
            << R"({"totalUs": 1, "steps": [{"process": "init", "phase": "teleport", "op": "x", "args": "", "result": "ok", "errno": 0, "startUs": 0, "durationUs": 1}]})"
            << "trace.json: unknown start-up phase \"teleport\"";
        QTest::addRow("string-duration")
            << R"({"totalUs": 1, "steps": [{"process": "init", "phase": "exec", "op": "x", "args": "", "result": "ok", "errno": 0, "startUs": 0, "durationUs": "1"}]})"
            << "trace.json is not a start-up trace";
    }

    void malformed()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        try {
            fromJson(text.toStdString(), "trace.json");
            QFAIL("accepted");
        } catch (const Error &e) {
            QVERIFY2(QString(e.what()).startsWith(message), e.what());
        }
    }

    void tableHasStepsAndPhaseTotals()
    {
        Trace t;
        t.totalUs = 1000;
        t.steps.push_back({"monitor", Phase::Cgroup, "mkdir", "/sys/fs/cgroup/pids/hood/a", 0, "ok", 10, 100});
        t.steps.push_back({"monitor", Phase::Cgroup, "write", "pids.max = 50", 0, "ok", 120, 150});
        t.steps.push_back({"init", Phase::Mounts, "mount proc", "proc on /proc", 1, "operation not permitted", 400, 50});
        QString table = QString::fromStdString(formatTable(t));
        QVERIFY2(table.contains("FAILED operation not permitted: proc on /proc"), qPrintable(table));
        QVERIFY2(table.contains(QRegularExpression("\\ncgroup\\s+250\\.0\\s+25\\.0 %")), qPrintable(table));
        QVERIFY2(table.contains("start to exec: 1.000 ms"), qPrintable(table));
    }
};

QTEST_GUILESS_MAIN(TestTrace)
#include "tst_trace.moc"
