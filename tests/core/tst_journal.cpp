// The journal that lets gc undo anything, and the pure helpers of the runtime.
#include "runtime/journal.h"
#include "runtime/resources.h"
#include "runtime/procfs.h"
#include "runtime/rootfs.h"
#include "runtime/state.h"
#include "runtime/statedir.h"
#include "error.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace hood;

class TestJournal : public QObject {
    Q_OBJECT

private slots:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("entries");
        QTest::addColumn<QList<int>>("badLines");
        QTest::addRow("empty") << "" << 0 << QList<int> {};
        QTest::addRow("three-kinds") << "cgroup /sys/fs/cgroup/pids/hood/a\nmount /run/hood/a/rootfs\ndir /run/hood/a/x\n"
                                     << 3 << QList<int> {};
        QTest::addRow("torn-last-line") << "cgroup /sys/fs/cgroup/pids/hood/a\ncgroup /sys/fs/cgr" << 1 << QList<int> {2};
        QTest::addRow("unknown-kind") << "wormhole hood0\ndir /x\n" << 1 << QList<int> {1};
        QTest::addRow("no-value") << "cgroup\ncgroup \n" << 0 << QList<int> {1, 2};
        QTest::addRow("path-with-spaces") << "dir /tmp/a b c\n" << 1 << QList<int> {};
    }

    void parse()
    {
        QFETCH(QString, text);
        QFETCH(int, entries);
        QFETCH(QList<int>, badLines);
        std::vector<int> bad;
        std::vector<JournalEntry> parsed = parseJournal(text.toStdString(), &bad);
        QCOMPARE(int(parsed.size()), entries);
        QCOMPARE(QList<int>(bad.begin(), bad.end()), badLines);
    }

    void recordThenRead()
    {
        QTemporaryDir dir;
        Journal journal((dir.path() + "/journal").toStdString());
        journal.record(resource::Cgroup, "/sys/fs/cgroup/memory/hood/x");
        journal.record(resource::Dir, "/tmp/a b");
        std::vector<JournalEntry> read = readJournal(journal.path());
        QCOMPARE(int(read.size()), 2);
        QVERIFY(read[0] == (JournalEntry {&resource::Cgroup, "/sys/fs/cgroup/memory/hood/x"}));
        QVERIFY(read[1] == (JournalEntry {&resource::Dir, "/tmp/a b"}));
    }

    // Replay removes what exists, accepts what is already gone, and reports what
    // it must not touch (a cgroup outside Hood's parent) as a sentence.
    void replay()
    {
        QTemporaryDir dir;
        QString tree = dir.path() + "/tree";
        QDir().mkpath(tree + "/a/b");
        QFile f(tree + "/a/b/file");
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        QVERIFY(QFile::link("/etc", tree + "/link-to-etc"));
        std::vector<JournalEntry> entries = {
            {&resource::Dir, tree.toStdString()},
            {&resource::Dir, (dir.path() + "/never-made").toStdString()},
            {&resource::Mount, (dir.path() + "/not-a-mount").toStdString()},
            {&resource::Cgroup, "/sys/fs/cgroup/memory/not-hood"},
        };
        std::vector<std::string> left = replayJournal(entries);
        QVERIFY(!QFile::exists(tree));
        QVERIFY(QFile::exists("/etc/hostname") || QFile::exists("/etc/passwd")); // the link was not followed
        QCOMPARE(int(left.size()), 1);
        QVERIFY2(QString::fromStdString(left[0]).contains("not-hood"), left[0].c_str());
    }

    // In a child with a mount namespace of its own, so the test's mounts never
    // reach the machine's table.
    void replayUnmounts()
    {
        if (geteuid() != 0)
            QSKIP("mounting a tmpfs needs root");
        QTemporaryDir dir;
        QDir().mkpath(dir.path() + "/m");
        std::string target = (dir.path() + "/m").toStdString();
        pid_t child = fork();
        if (child == 0) {
            if (unshare(CLONE_NEWNS) != 0 || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0
                || mount("tmpfs", target.c_str(), "tmpfs", 0, nullptr) != 0)
                _exit(2);
            if (!replayJournal({{&resource::Mount, target}}).empty())
                _exit(3);
            QFile mounts("/proc/self/mountinfo");
            mounts.open(QIODevice::ReadOnly);
            _exit(mounts.readAll().contains(QByteArray::fromStdString(target)) ? 4 : 0);
        }
        int status = -1;
        QCOMPARE(waitpid(child, &status, 0), child);
        QVERIFY(WIFEXITED(status));
        QCOMPARE(WEXITSTATUS(status), 0);
    }

    void resolve_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("expected"); // relative to the root; "!" = refused
        QTest::addRow("plain") << "/a/b" << "/a/b";
        QTest::addRow("dots") << "/a/./b/../c" << "/a/c";
        QTest::addRow("absolute-link") << "/abs/x" << "/target/x";
        QTest::addRow("relative-link") << "/rel/x" << "/target/x";
        QTest::addRow("dotdot-above-root") << "/../etc" << "!";
        QTest::addRow("link-above-root") << "/escape/x" << "!";
        QTest::addRow("link-to-root-dotdot") << "/target/up/x" << "/x";
    }

    void resolve()
    {
        QFETCH(QString, path);
        QFETCH(QString, expected);
        QTemporaryDir root;
        QDir().mkpath(root.path() + "/target");
        QFile::link("/target", root.path() + "/abs");
        QFile::link("target", root.path() + "/rel");
        QFile::link("../../../../..", root.path() + "/escape");
        QFile::link("..", root.path() + "/target/up");
        if (expected == "!") {
            QVERIFY_THROWS_EXCEPTION(Error, resolveInRoot(root.path().toStdString(), path.toStdString()));
            return;
        }
        QCOMPARE(QString::fromStdString(resolveInRoot(root.path().toStdString(), path.toStdString())),
                 root.path() + expected);
    }

    void mountOptions()
    {
        MountFlags f = parseMountOptions({"nosuid", "noexec", "strictatime", "mode=755", "size=65536k"});
        QCOMPARE(f.flags, MS_NOSUID | MS_NOEXEC | MS_STRICTATIME);
        QCOMPARE(QString::fromStdString(f.data), QString("mode=755,size=65536k"));
        MountFlags b = parseMountOptions({"rbind", "ro", "rprivate"});
        QVERIFY(b.bind);
        QCOMPARE(b.flags, MS_BIND | MS_REC | MS_RDONLY);
        QCOMPARE(b.propagation, MS_PRIVATE | MS_REC);
        QCOMPARE(parseMountOptions({"ro", "rw"}).flags, 0ul);
        // What an option turns off explicitly: a remount in a user namespace must not
        // quietly keep a locked nosuid that the spec asked to drop (priv::remountBind).
        MountFlags c = parseMountOptions({"bind", "suid", "rw", "nodev", "dev", "noexec"});
        QCOMPARE(c.cleared, MS_NOSUID | MS_RDONLY | MS_NODEV);
        QCOMPARE(c.flags, MS_BIND | MS_NOEXEC);
        QCOMPARE(parseMountOptions({"exec", "noexec"}).cleared, 0ul);
    }

    void ids_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<bool>("valid");
        QTest::addRow("simple") << "web-1" << true;
        QTest::addRow("all-allowed") << "A.b_c+d-9" << true;
        QTest::addRow("dot") << "." << false;
        QTest::addRow("dotdot") << ".." << false;
        QTest::addRow("slash") << "a/b" << false;
        QTest::addRow("space") << "a b" << false;
        QTest::addRow("empty") << "" << false;
        QTest::addRow("too-long") << QString(65, 'x') << false;
    }

    void ids()
    {
        QFETCH(QString, id);
        QFETCH(bool, valid);
        bool ok = true;
        try {
            validateId(id.toStdString());
        } catch (const Error &) {
            ok = false;
        }
        QCOMPARE(ok, valid);
        QVERIFY(QString::fromStdString(generateId()).contains(QRegularExpression("^[0-9a-f]{12}$")));
    }

    void signalNames()
    {
        QCOMPARE(QString::fromStdString(signalName(9)), QString("SIGKILL"));
        QCOMPARE(signalNumber("KILL"), 9);
        QCOMPARE(signalNumber("SIGTERM"), 15);
        QCOMPARE(signalNumber("15"), 15);
        QCOMPARE(signalNumber("BOGUS"), 0);
    }

    void procStat_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("state");
        QTest::addColumn<quint64>("startTime");
        const QString tail = " 1 1 0 -1 4194560 100 0 0 0 0 0 0 0 0 20 0 1 0 424242 1000 10";
        QTest::addRow("sleeping") << "17 (sh) S" + tail << "S" << quint64(424242);
        QTest::addRow("zombie") << "17 (sh) Z" + tail << "Z" << quint64(424242);
        QTest::addRow("comm-with-paren") << "17 (a) b) R" + tail << "R" << quint64(424242);
        QTest::addRow("truncated") << "17 (sh" << "" << quint64(0);
    }

    void procStat()
    {
        QFETCH(QString, text);
        QFETCH(QString, state);
        QFETCH(quint64, startTime);
        ProcStat st = parseProcStat(text.toStdString());
        QCOMPARE(st.state ? QString(QChar(st.state)) : QString(), state);
        QCOMPARE(quint64(st.startTime), startTime);
    }

    // A child that has exited but is not reaped yet is a zombie: dead to Hood.
    void zombieIsDead()
    {
        pid_t child = fork();
        if (child == 0)
            _exit(0);
        QVERIFY(child > 0);
        uint64_t start = processStartTime(child);
        QVERIFY(start != 0);
        QTRY_COMPARE(readProcStat(child).state, 'Z');
        QVERIFY(!processAlive(child, start));
        QVERIFY(!processAlive(child, 0));
        QVERIFY(processAlive(getpid(), processStartTime(getpid())));
        waitpid(child, nullptr, 0);
    }

    void stateRoundTrip()
    {
        ContainerState s;
        s.id = "x";
        s.pid = 42;
        s.command = {"sh", "-c", "true"};
        s.cgroupPaths = {"/sys/fs/cgroup/pids/hood/x"};
        s.memoryLimit = 64 << 20;
        s.exitCode = 137;
        s.exitSignal = 9;
        s.oomKilled = true;
        ContainerState back = stateFromJson(stateToJson(s), "state.json");
        QCOMPARE(back.pid, 42);
        QCOMPARE(back.command, s.command);
        QCOMPARE(*back.memoryLimit, int64_t(64 << 20));
        QCOMPARE(*back.exitCode, 137);
        QVERIFY(back.oomKilled);
        QVERIFY_THROWS_EXCEPTION(Error, stateFromJson("{\"pid\": 1}", "state.json"));
    }

    // Number fields that do not fit their type: before, 5e23 was cast to int
    // (undefined behaviour; tests/fuzz/fuzz_state) and 2^32+1 became pid 1.
    void stateRejectsNumbersOutOfRange_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addRow("float pid (fuzz)") << R"({"id":"x","pid":5.55556e+23})";
        QTest::addRow("float start time (fuzz)") << R"({"id":"x","pidStartTime":1.66667e+24})";
        QTest::addRow("pid wraps to 1") << R"({"id":"x","pid":4294967297})";
        QTest::addRow("negative counter") << R"({"id":"x","memoryPeak":-1})";
        QTest::addRow("limit past int64") << R"({"id":"x","memoryLimit":18446744073709551615})";
        QTest::addRow("fractional exit code") << R"({"id":"x","exitCode":1.5})";
    }

    void stateRejectsNumbersOutOfRange()
    {
        QFETCH(QString, json);
        try {
            stateFromJson(json.toStdString(), "state.json");
            QFAIL("accepted");
        } catch (const Error &e) {
            QVERIFY2(QString(e.what()).startsWith("state.json: not a container state ("), e.what());
        }
    }

    // A kind of another subsystem (a veth, say) registers one row; the journal
    // then parses its lines and replay calls its destroy, newest line first.
    void registryTakesNewKinds()
    {
        static std::vector<std::string> destroyed;
        static const ResourceType kTestKind {"test-kind", "test resource", [](const std::string &v, std::string *why) {
                                                 destroyed.push_back(v);
                                                 if (v == "stuck")
                                                     *why = "stuck could not be removed";
                                                 return v != "stuck";
                                             }};
        registerResourceType(kTestKind);
        QCOMPARE(findResourceType("test-kind"), &kTestKind);
        try {
            registerResourceType(kTestKind);
            QFAIL("registered twice");
        } catch (const hood::Error &e) {
            QCOMPARE(QString(e.what()), QString("resource kind \"test-kind\" is registered twice"));
        }
        std::vector<int> bad;
        auto entries = parseJournal("test-kind a\ncgroup /sys/fs/cgroup/pids/hood/none\ntest-kind stuck\ntest-kind b\n", &bad);
        QVERIFY(bad.empty());
        entries.erase(entries.begin() + 1); // not the cgroup: this test touches no cgroup
        std::vector<std::string> left = replayJournal(entries);
        QCOMPARE(destroyed, (std::vector<std::string> {"b", "stuck", "a"}));
        QCOMPARE(left, (std::vector<std::string> {"stuck could not be removed"}));
    }
};

QTEST_GUILESS_MAIN(TestJournal)
#include "tst_journal.moc"
