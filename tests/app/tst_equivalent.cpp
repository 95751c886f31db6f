// The Equivalent commands page's text, and the hoodctl arguments the window runs:
// each namespace toggle and limit shows up in every form, and (as root) the spec
// the page shows is the one hoodctl really made.
#include "../integration/hoodtest.h"

#include "controller.h"
#include "equivalent.h"

#include "net/attachment.h"
#include "runtime/state.h"
#include "spec/spec.h"
#include "sys/fileio.h"

#include <QStandardPaths>

using namespace hood::gui;

class TestEquivalent : public QObject {
    Q_OBJECT

public:
    // Before anything makes a QSettings: the test's settings go to a test location
    // (~/.qttest), never to the person's own.
    static void initMain() { QStandardPaths::setTestModeEnabled(true); }

private slots:
    void runArguments_data();
    void runArguments();
    void memoryFlag_data();
    void memoryFlag();
    void engineReport_data();
    void engineReport();
    void shellQuote_data();
    void shellQuote();
    void unshareFollowsTheToggles_data();
    void unshareFollowsTheToggles();
    void cgroupFilesPerMode_data();
    void cgroupFilesPerMode();
    void dockerSharesWhatIsNotIsolated();
    void chrootOrPivotRoot();
    void configJsonIsAValidSpec();
    void refusedSettingsSayWhy();
    void storedConfigIsShownAsStored();
    void specMatchesWhatHoodctlMade();
    void storedNetworkIsShownAsCommands();
};

void TestEquivalent::runArguments_data()
{
    QTest::addColumn<LaunchSettings>("settings");
    QTest::addColumn<QStringList>("args");
    LaunchSettings plain;
    QTest::addRow("defaults") << plain
                              << QStringList {"run", "-d", "-t", "--image", "busybox", "--ns",
                                              "pid,mnt,uts,ipc,net,cgroup", "--", "sh"};
    LaunchSettings full;
    full.name = "web";
    full.namespaces = {"pid", "net"};
    full.memory = 64 * 1024 * 1024;
    full.cpus = 0.5;
    full.pids = 20;
    full.hostname = "h";
    full.chroot = true;
    full.rootless = true;
    full.terminal = false;
    full.command = {"sleep", "10"};
    full.seccomp = false;
    QTest::addRow("everything") << full
                                << QStringList {"run", "-d", "--name", "web", "--image", "busybox", "--ns", "pid,net",
                                                "--memory", "64M", "--cpus", "0.5", "--pids", "20", "--hostname", "h",
                                                "--chroot", "--rootless", "--security-opt", "seccomp=unconfined",
                                                "--", "sleep", "10"};
    LaunchSettings none;
    none.namespaces = {};
    none.terminal = false;
    QTest::addRow("no namespaces") << none
                                   << QStringList {"run", "-d", "--image", "busybox", "--ns", "", "--", "sh"};
}

void TestEquivalent::runArguments()
{
    QFETCH(LaunchSettings, settings);
    QFETCH(QStringList, args);
    QCOMPARE(ContainerController::runArguments(settings), args);
}

void TestEquivalent::memoryFlag_data()
{
    QTest::addColumn<qint64>("bytes");
    QTest::addColumn<QString>("flag");
    QTest::addRow("mebibytes") << qint64(64) * 1024 * 1024 << "64M";
    QTest::addRow("gibibytes") << qint64(2) * 1024 * 1024 * 1024 << "2G";
    QTest::addRow("odd bytes") << qint64(1500000) << "1500000";
}

void TestEquivalent::memoryFlag()
{
    QFETCH(qint64, bytes);
    QFETCH(QString, flag);
    QCOMPARE(ContainerController::memoryFlag(bytes), flag);
}

// hoodctl --json's answer as the controller reads it: the object on the last line.
void TestEquivalent::engineReport_data()
{
    QTest::addColumn<QString>("out");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("error");
    QTest::addColumn<int>("exitClass");
    QTest::addColumn<QStringList>("warnings");
    QTest::addRow("launched") << "{\"id\":\"web\",\"warnings\":[\"no loopback\"]}\n" << true << "web" << "" << 0
                              << QStringList {"no loopback"};
    QTest::addRow("after-output") << "hello\n{\"id\":\"a\",\"exitCode\":0,\"warnings\":[]}\n" << true << "a" << ""
                                  << 0 << QStringList {};
    QTest::addRow("failed")
        << "{\"id\":null,\"error\":\"--memory 1K: must be at least 1M (the kernel needs room to run anything)\","
           "\"errno\":0,\"exitClass\":125,\"warnings\":[]}\n"
        << true << "" << "--memory 1K: must be at least 1M (the kernel needs room to run anything)" << 125 << QStringList {};
    QTest::addRow("plain-id") << "web\n" << false << "" << "" << 0 << QStringList {};
    QTest::addRow("nothing") << "" << false << "" << "" << 0 << QStringList {};
}

void TestEquivalent::engineReport()
{
    QFETCH(QString, out);
    QFETCH(bool, valid);
    QFETCH(QString, id);
    QFETCH(QString, error);
    QFETCH(int, exitClass);
    QFETCH(QStringList, warnings);
    const EngineReport r = hood::gui::engineReport(out);
    QCOMPARE(r.valid, valid);
    QCOMPARE(r.id, id);
    QCOMPARE(r.error, error);
    QCOMPARE(r.exitClass, exitClass);
    QCOMPARE(r.warnings, warnings);
}

void TestEquivalent::shellQuote_data()
{
    QTest::addColumn<QString>("word");
    QTest::addColumn<QString>("quoted");
    QTest::addRow("plain") << "/bin/sh" << "/bin/sh";
    QTest::addRow("space") << "a b" << "'a b'";
    QTest::addRow("single quote") << "it's" << "'it'\\''s'";
    QTest::addRow("dollar") << "$HOME" << "'$HOME'";
    QTest::addRow("empty") << "" << "''";
}

void TestEquivalent::shellQuote()
{
    QFETCH(QString, word);
    QFETCH(QString, quoted);
    QCOMPARE(hood::gui::shellQuote(word), quoted);
}

void TestEquivalent::unshareFollowsTheToggles_data()
{
    QTest::addColumn<QStringList>("namespaces");
    QTest::addColumn<bool>("rootless");
    QTest::addColumn<QString>("line");
    QTest::addRow("docker-like") << QStringList {"pid", "mnt", "uts", "ipc", "net", "cgroup"} << false
                                 << "unshare --pid --fork --mount --uts --ipc --net --cgroup sh -e <<'EOF'";
    QTest::addRow("net only") << QStringList {"net"} << false << "unshare --net sh -e <<'EOF'";
    QTest::addRow("rootless adds user") << QStringList {"mnt"} << true
                                        << "unshare --user --map-root-user --mount sh -e <<'EOF'";
    QTest::addRow("time") << QStringList {"time"} << false << "unshare --time sh -e <<'EOF'";
}

void TestEquivalent::unshareFollowsTheToggles()
{
    QFETCH(QStringList, namespaces);
    QFETCH(bool, rootless);
    QFETCH(QString, line);
    LaunchSettings s;
    s.namespaces = namespaces;
    s.rootless = rootless;
    const EquivalentCommands c = equivalentCommands(s, "/img", hood::CgroupMode::V2);
    QVERIFY2(c.shell.split('\n').contains(line), qPrintable(c.shell));
}

void TestEquivalent::cgroupFilesPerMode_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QStringList>("lines");
    QTest::addRow("v2") << int(hood::CgroupMode::V2)
                        << QStringList {"echo 33554432 > /sys/fs/cgroup/hood/c/memory.max",
                                        "echo '25000 100000' > /sys/fs/cgroup/hood/c/cpu.max",
                                        "echo 10 > /sys/fs/cgroup/hood/c/pids.max"};
    QTest::addRow("hybrid") << int(hood::CgroupMode::Hybrid)
                            << QStringList {"echo 33554432 > /sys/fs/cgroup/memory/hood/c/memory.limit_in_bytes",
                                            "echo 25000 > /sys/fs/cgroup/cpu/hood/c/cpu.cfs_quota_us",
                                            "echo 10 > /sys/fs/cgroup/pids/hood/c/pids.max"};
}

void TestEquivalent::cgroupFilesPerMode()
{
    QFETCH(int, mode);
    QFETCH(QStringList, lines);
    LaunchSettings s;
    s.name = "c";
    s.memory = 32 * 1024 * 1024;
    s.cpus = 0.25;
    s.pids = 10;
    const QStringList shell = equivalentCommands(s, "/img", hood::CgroupMode(mode)).shell.split('\n');
    for (const QString &line : lines)
        QVERIFY2(shell.contains(line), qPrintable(line + " missing from\n" + shell.join('\n')));
}

void TestEquivalent::dockerSharesWhatIsNotIsolated()
{
    LaunchSettings s;
    s.namespaces = {"mnt", "net"};
    s.memory = 128 * 1024 * 1024;
    s.pids = 50;
    const QString d = equivalentCommands(s, "/img", hood::CgroupMode::V2).docker;
    const QString first = d.section('\n', 0, 0);
    for (const char *flag : {"--pid host", "--ipc host", "--uts host", "--cgroupns host", "--network none",
                             "--memory 128m", "--pids-limit 50"})
        QVERIFY2(first.contains(QLatin1String(flag)), qPrintable(flag + QStringLiteral(" missing: ") + first));
    s.namespaces = {"pid", "ipc", "uts", "net", "cgroup"};
    const QString isolated = equivalentCommands(s, "/img", hood::CgroupMode::V2).docker;
    QVERIFY(isolated.contains("docker always gives a container its own mount namespace"));
    QVERIFY(!isolated.section('\n', 0, 0).contains(" host"));
}

void TestEquivalent::chrootOrPivotRoot()
{
    LaunchSettings s;
    s.command = {"echo", "hi there"};
    s.chroot = true;
    QVERIFY(equivalentCommands(s, "/img", hood::CgroupMode::V2).shell.contains("exec chroot . echo 'hi there'"));
    s.chroot = false;
    const QString pivot = equivalentCommands(s, "/img", hood::CgroupMode::V2).shell;
    QVERIFY(pivot.contains("pivot_root . .old"));
    QVERIFY(pivot.contains("exec echo 'hi there'"));
}

void TestEquivalent::configJsonIsAValidSpec()
{
    LaunchSettings s;
    s.memory = 64 * 1024 * 1024;
    s.cpus = 1.5;
    s.pids = 30;
    s.rootless = true;
    s.hostname = "box";
    const QString json = equivalentCommands(s, "/img/rootfs", hood::CgroupMode::V2).configJson;
    const hood::Spec spec = hood::parseSpec(json.toStdString()).spec;
    QCOMPARE(spec.resources.memoryLimit.value_or(0), 64 * 1024 * 1024);
    QCOMPARE(spec.resources.cpuQuota.value_or(0), 150000);
    QCOMPARE(spec.resources.pidsLimit.value_or(0), 30);
    QVERIFY(spec.hasNamespace(hood::NsKind::User));
    QCOMPARE(spec.hostname, std::string("box"));
    QCOMPARE(spec.root.path, std::string("/img/rootfs"));
}

// Settings hoodctl would refuse: the page gives hoodctl's sentence, not a spec.
void TestEquivalent::refusedSettingsSayWhy()
{
    LaunchSettings s;
    s.cpus = 1000;
    const EquivalentCommands c = equivalentCommands(s, "/img", hood::CgroupMode::V2);
    QVERIFY2(c.configJson.startsWith("# hoodctl refuses these settings: --cpus 1000: must be between 0.01 and "),
             qPrintable(c.configJson));
    QVERIFY(c.hoodctl.contains("--cpus 1000"));
}

// A container that exists: its stored config.json byte for byte, and the shell and
// docker lines from that spec, not from the launcher's settings.
void TestEquivalent::storedConfigIsShownAsStored()
{
    QTemporaryDir dir;
    hood::Spec spec = hood::defaultSpec();
    spec.hostname = "stored";
    spec.root.path = "/stored/rootfs";
    spec.resources.pidsLimit = 7;
    spec.process.args = {"sleep", "5"};
    const QString text = QString::fromStdString(hood::specToJson(spec)) + "\n";
    QFile file(dir.path() + "/config.json");
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text.toUtf8());
    file.close();
    LaunchSettings s;
    s.name = "st";
    s.pids = 99; // what the launcher says now; the container has its own
    const EquivalentCommands c = storedEquivalentCommands(s, dir.path(), hood::CgroupMode::V2);
    QCOMPARE(c.configJson, text);
    QVERIFY2(c.shell.contains("hostname stored"), qPrintable(c.shell));
    QVERIFY2(c.shell.contains("echo 7 > /sys/fs/cgroup/hood/st/pids.max"), qPrintable(c.shell));
    QVERIFY(c.shell.contains("lowerdir=/stored/rootfs,"));
    QVERIFY(c.shell.contains("exec sleep 5"));
    QVERIFY(c.docker.contains("--pids-limit 7"));
    const EquivalentCommands missing = storedEquivalentCommands(s, dir.path() + "/nope", hood::CgroupMode::V2);
    QCOMPARE(missing.configJson, "# open " + dir.path() + "/nope/config.json: no such file or directory");
}

// A bridged container's page gets the ip and nft commands of its network step, with
// its init's pid, and docker's line its --network and -p.
void TestEquivalent::storedNetworkIsShownAsCommands()
{
    QTemporaryDir root;
    const QString dir = root.path() + "/web";
    QVERIFY(QDir().mkpath(dir));
    hood::Spec spec = hood::defaultSpec();
    spec.root.path = "/stored/rootfs";
    spec.process.args = {"httpd"};
    hood::writeNewFile((dir + "/config.json").toStdString(), hood::specToJson(spec));
    hood::net::Attachment a;
    a.mode = hood::net::Mode::Bridge;
    a.network = "hood";
    a.bridge = "hood0";
    a.hostVeth = "h-web";
    a.mac = "02:42:0a:58:00:05";
    a.address = *hood::net::parseIpv4("10.88.0.5");
    a.gateway = *hood::net::parseIpv4("10.88.0.1");
    a.prefix = 16;
    a.ports = {{"", 8080, 80, "tcp"}};
    hood::writeNewFile((dir + "/network.json").toStdString(), hood::net::attachmentToJson(a));
    hood::ContainerState state;
    state.id = "web";
    state.pid = 4242;
    hood::saveState(dir.toStdString(), state);
    LaunchSettings s;
    s.name = "web";
    const EquivalentCommands c = storedEquivalentCommands(s, dir, hood::CgroupMode::V2);
    for (const char *line : {"ip link add h-web type veth peer name eth0 netns 4242 address 02:42:0a:58:00:05",
                             "ip link set h-web master hood0 up",
                             "nsenter -t 4242 -n ip addr add 10.88.0.5/16 dev eth0",
                             "nsenter -t 4242 -n ip route add default via 10.88.0.1",
                             "nft 'add rule inet hood prerouting meta nfproto ipv4 fib daddr type local tcp dport 8080 "
                             "dnat ip to 10.88.0.5:80 comment \"ctr:web\"'"})
        QVERIFY2(c.shell.contains(QLatin1String(line)), qPrintable(c.shell));
    QVERIFY2(c.docker.contains("--network bridge -p 8080:80/tcp"), qPrintable(c.docker));
    QVERIFY2(!c.docker.contains("--network none") && !c.docker.contains("only loopback"), qPrintable(c.docker));
    // A container without network.json (a bundle) gets no network section.
    QFile::remove(dir + "/network.json");
    QVERIFY(!storedEquivalentCommands(s, dir, hood::CgroupMode::V2).shell.contains("# 4. The network"));
}

// The page claims its config.json is what hoodctl makes: run hoodctl with the same
// settings and compare the spec it kept in the state directory.
void TestEquivalent::specMatchesWhatHoodctlMade()
{
    if (!hoodtest::isRoot())
        QSKIP("hoodctl run with cgroup limits needs root on this machine (cgroup v1/hybrid); run as root");
    QTemporaryDir root(QStringLiteral("/tmp/hood-tst-equivalent-XXXXXX"));
    LaunchSettings s;
    s.name = "equiv";
    s.memory = 48 * 1024 * 1024;
    s.cpus = 0.5;
    s.pids = 40;
    s.hostname = "eq";
    s.namespaces = {"pid", "mnt", "uts", "net"};
    s.terminal = false;
    s.command = {"sleep", "30"};
    const hoodtest::Result r = hoodtest::run(root.path(), ContainerController::runArguments(s));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QFile file(root.path() + "/equiv/config.json");
    QVERIFY(file.open(QIODevice::ReadOnly));
    const hood::Spec made = hood::parseSpec(file.readAll().toStdString()).spec;
    const hood::Spec shown = specFor(s, QString::fromStdString(made.root.path));
    hoodtest::run(root.path(), {"delete", "--force", "equiv"});
    QCOMPARE(shown.hostname, made.hostname);
    QCOMPARE(shown.resources, made.resources);
    QCOMPARE(shown.process.args, made.process.args);
    QCOMPARE(shown.process.env, made.process.env);
    QCOMPARE(shown.process.capabilities, made.process.capabilities);
    for (const hood::NsInfo &info : hood::kNamespaces)
        QCOMPARE(shown.hasNamespace(info.kind), made.hasNamespace(info.kind));
    // Other suites may run containers now: only ours counts.
    for (const QString &line : hoodtest::leftovers(root.path()))
        QVERIFY2(!line.contains(root.path()) && !line.endsWith("/hood/equiv"), qPrintable(line));
}

QTEST_GUILESS_MAIN(TestEquivalent)
#include "tst_equivalent.moc"
