// Run options -> Spec (core/spec/runoptions.h): the one place where hoodctl run's
// flags, the launcher and lessons become a config.json. Rows check Docker's defaults,
// each namespace, the limits and their sentences, and the image-config merge rules
// as Docker applies them.
#include "spec/runoptions.h"
#include "error.h"

#include <QtTest>

#include <algorithm>

#include <unistd.h>

using namespace hood;

Q_DECLARE_METATYPE(hood::RunOptions)
Q_DECLARE_METATYPE(hood::ImageConfig)
Q_DECLARE_METATYPE(hood::Resources)

namespace {

QStringList toQt(const std::vector<std::string> &strings)
{
    QStringList list;
    for (const std::string &s : strings)
        list << QString::fromStdString(s);
    return list;
}

RunOptions options()
{
    RunOptions o;
    o.id = "0123456789abcdef";
    o.rootfs = "/img";
    return o;
}

QString errorOf(const RunOptions &o)
{
    try {
        specFromRunOptions(o);
    } catch (const Error &e) {
        return QString::fromStdString(e.what());
    }
    return QStringLiteral("(accepted)");
}

const char *const kPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

} // namespace

class TestRunOptions : public QObject {
    Q_OBJECT

private slots:
    void defaults();
    void terminalAddsTerm();
    void namespaceOff_data();
    void namespaceOff();
    void rootlessAddsUser();
    void limits_data();
    void limits();
    void rejects_data();
    void rejects();
    void userEnvReplacesDefaults();
    void emptyRootfsIsAllowed();
    void jsonRoundTrip();
    void imageMerge_data();
    void imageMerge();
    void imageUser_data();
    void imageUser();
};

void TestRunOptions::defaults()
{
    const Spec spec = specFromRunOptions(options());
    QList<NsKind> kinds;
    for (const NamespaceSetting &ns : spec.namespaces)
        kinds << ns.kind;
    QCOMPARE(kinds, (QList<NsKind> {NsKind::Pid, NsKind::Mount, NsKind::Uts, NsKind::Ipc, NsKind::Network,
                                    NsKind::Cgroup}));
    QCOMPARE(spec.hostname, std::string("0123456789ab")); // docker: the first 12 characters
    QCOMPARE(toQt(spec.process.args), QStringList {"sh"});
    QCOMPARE(toQt(spec.process.env), (QStringList {kPath, "HOSTNAME=0123456789ab"}));
    QCOMPARE(spec.process.cwd, std::string("/"));
    QVERIFY(!spec.process.terminal);
    QVERIFY(spec.process.noNewPrivileges); // stricter than docker run
    QVERIFY(spec.seccomp && spec.seccomp->defaultAction == "SCMP_ACT_ERRNO");
    for (const char *masked : {"/proc/kcore", "/proc/keys", "/proc/interrupts", "/sys/devices/virtual/powercap", "/sys/firmware"})
        QVERIFY2(std::find(spec.maskedPaths.begin(), spec.maskedPaths.end(), masked) != spec.maskedPaths.end(), masked);
    QVERIFY(spec.process.capabilities);
    QCOMPARE(spec.process.capabilities->bounding, dockerDefaultCapabilities());
    QCOMPARE(spec.process.capabilities->effective, dockerDefaultCapabilities());
    QCOMPARE(spec.process.capabilities->permitted, dockerDefaultCapabilities());
    QVERIFY(spec.process.capabilities->inheritable.empty());
    QVERIFY(spec.process.capabilities->ambient.empty());
    QVERIFY(spec.resources.empty());
    QCOMPARE(spec.root, (Root {"/img", false}));
    QCOMPARE(spec.mounts, defaultSpec().mounts);
}

void TestRunOptions::terminalAddsTerm()
{
    RunOptions o = options();
    o.terminal = true;
    const Spec spec = specFromRunOptions(o);
    QVERIFY(spec.process.terminal);
    QCOMPARE(toQt(spec.process.env).last(), QStringLiteral("TERM=xterm"));
}

void TestRunOptions::namespaceOff_data()
{
    QTest::addColumn<int>("kind");
    for (NsKind kind : defaultNamespaces())
        QTest::addRow("%s", nsInfo(kind).shortName.data()) << int(kind);
}

void TestRunOptions::namespaceOff()
{
    QFETCH(int, kind);
    RunOptions o = options();
    o.namespaces = defaultNamespaces();
    std::erase(*o.namespaces, NsKind(kind));
    const Spec spec = specFromRunOptions(o);
    QVERIFY(!spec.hasNamespace(NsKind(kind)));
    QCOMPARE(spec.namespaces.size(), defaultNamespaces().size() - 1);
    // Without a UTS namespace the host's name is the container's: none is set.
    QCOMPARE(spec.hostname.empty(), NsKind(kind) == NsKind::Uts);
    QCOMPARE(toQt(spec.process.env).contains("HOSTNAME="), NsKind(kind) == NsKind::Uts);
}

void TestRunOptions::rootlessAddsUser()
{
    RunOptions o = options();
    o.rootless = true;
    QVERIFY(specFromRunOptions(o).hasNamespace(NsKind::User));
    QVERIFY(!specFromRunOptions(options()).hasNamespace(NsKind::User));
}

void TestRunOptions::limits_data()
{
    QTest::addColumn<qint64>("memory"); // 0: not set
    QTest::addColumn<double>("cpus");
    QTest::addColumn<qint64>("pids");
    QTest::addColumn<Resources>("resources");
    QTest::addRow("memory") << qint64(64) * 1024 * 1024 << 0.0 << qint64(0)
                            << Resources {64 * 1024 * 1024, {}, {}, {}, {}};
    QTest::addRow("memory-floor") << qint64(1024) * 1024 << 0.0 << qint64(0) << Resources {1024 * 1024, {}, {}, {}, {}};
    QTest::addRow("half-cpu") << qint64(0) << 0.5 << qint64(0) << Resources {{}, 50000, 100000, {}, {}};
    QTest::addRow("cpu-rounds") << qint64(0) << 0.29 << qint64(0) << Resources {{}, 29000, 100000, {}, {}};
    QTest::addRow("pids") << qint64(0) << 0.0 << qint64(100) << Resources {{}, {}, {}, {}, 100};
    QTest::addRow("pids-unlimited") << qint64(0) << 0.0 << qint64(-1) << Resources {{}, {}, {}, {}, -1};
}

void TestRunOptions::limits()
{
    QFETCH(qint64, memory);
    QFETCH(double, cpus);
    QFETCH(qint64, pids);
    QFETCH(Resources, resources);
    RunOptions o = options();
    if (memory)
        o.memory = memory;
    if (cpus)
        o.cpus = cpus;
    if (pids)
        o.pids = pids;
    QCOMPARE(specFromRunOptions(o).resources, resources);
}

void TestRunOptions::rejects_data()
{
    QTest::addColumn<RunOptions>("options");
    QTest::addColumn<QString>("message");
    const long online = sysconf(_SC_NPROCESSORS_ONLN);
    const QString cpuRule = QStringLiteral(": must be between 0.01 and %1 (the CPUs this machine has)").arg(online);
    RunOptions o = options();
    o.memory = 1024;
    QTest::addRow("memory-1k") << o << "--memory 1K: must be at least 1M (the kernel needs room to run anything)";
    o = options();
    o.memory = 1048575;
    QTest::addRow("memory-below-1m") << o << "--memory 1048575: must be at least 1M (the kernel needs room to run anything)";
    o = options();
    o.pids = 0;
    QTest::addRow("pids-0") << o << "--pids 0: must be a whole number of at least 1 (or -1 for no limit)";
    o.pids = -2;
    QTest::addRow("pids-minus-2") << o << "--pids -2: must be a whole number of at least 1 (or -1 for no limit)";
    o = options();
    o.cpus = 0.001;
    QTest::addRow("cpus-tiny") << o << "--cpus 0.001" + cpuRule;
    o.cpus = double(online + 1);
    QTest::addRow("cpus-more-than-the-machine") << o << QString::number(online + 1).prepend("--cpus ") + cpuRule;
    o = options();
    o.hostname = "my_box";
    QTest::addRow("hostname-underscore") << o << "hoodctl run: hostname: may contain only letters, digits, '-' and '.', and must start with a letter or digit";
    o.hostname = std::string(65, 'a');
    QTest::addRow("hostname-65") << o << "hoodctl run: hostname: must be at most 64 characters";
    o.hostname = "box";
    o.namespaces = {NsKind::Mount};
    QTest::addRow("hostname-without-uts") << o << R"(hoodctl run: hostname: needs a uts namespace (add {"type": "uts"} to linux.namespaces))";
    o = options();
    o.env = {"NOEQUALS"};
    QTest::addRow("env-without-value") << o << "hoodctl run: process.env[2]: must be NAME=VALUE";
    o = options();
    o.cwd = "tmp";
    o.source = "launcher";
    QTest::addRow("cwd-relative-named-source") << o << "launcher: process.cwd: must be an absolute path";
}

void TestRunOptions::rejects()
{
    QFETCH(RunOptions, options);
    QFETCH(QString, message);
    QCOMPARE(errorOf(options), message);
}

void TestRunOptions::userEnvReplacesDefaults()
{
    RunOptions o = options();
    o.env = {"PATH=/bin", "A=1"};
    QCOMPARE(toQt(specFromRunOptions(o).process.env), (QStringList {"PATH=/bin", "HOSTNAME=0123456789ab", "A=1"}));
}

// The Equivalent page shows a spec for settings not launched yet, before any image.
void TestRunOptions::emptyRootfsIsAllowed()
{
    RunOptions o = options();
    o.rootfs.clear();
    QCOMPARE(specFromRunOptions(o).root.path, std::string());
}

void TestRunOptions::jsonRoundTrip()
{
    RunOptions o = options();
    o.memory = 64 * 1024 * 1024;
    o.cpus = 1.5;
    o.pids = 30;
    o.terminal = true;
    o.rootless = true;
    o.command = {"sleep", "10"};
    const Spec spec = specFromRunOptions(o);
    QCOMPARE(parseSpec(specToJson(spec)).spec, spec);
}

void TestRunOptions::imageMerge_data()
{
    QTest::addColumn<RunOptions>("options");
    QTest::addColumn<ImageConfig>("image");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("env");
    QTest::addColumn<QString>("cwd");
    const QString host = "HOSTNAME=0123456789ab";
    const ImageConfig nginx {{"PATH=/opt/bin:/bin", "A=image", "B=image"}, {"/entry.sh"}, {"nginx", "-g"}, "", "/srv"};
    QTest::addRow("no-image") << options() << ImageConfig {} << QStringList {"sh"} << QStringList {kPath, host} << "/";
    QTest::addRow("image-cmd") << options() << ImageConfig {{}, {}, {"top", "-b"}, "", ""} << QStringList {"top", "-b"}
                               << QStringList {kPath, host} << "/";
    // Docker: args are Entrypoint + Cmd; image Env replaces the PATH default in place,
    // the user's Env overrides the image's key by key; WorkingDir is the default cwd.
    QTest::addRow("entrypoint-and-cmd") << options() << nginx << QStringList {"/entry.sh", "nginx", "-g"}
                                        << QStringList {"PATH=/opt/bin:/bin", host, "A=image", "B=image"} << "/srv";
    RunOptions o = options();
    o.command = {"bash"};
    o.env = {"A=user"};
    o.cwd = "/tmp";
    QTest::addRow("user-command-replaces-cmd") << o << nginx << QStringList {"/entry.sh", "bash"}
                                               << QStringList {"PATH=/opt/bin:/bin", host, "A=user", "B=image"} << "/tmp";
    o = options();
    o.entrypoint = std::vector<std::string> {"/other"};
    QTest::addRow("user-entrypoint-drops-cmd") << o << nginx << QStringList {"/other"}
                                               << QStringList {"PATH=/opt/bin:/bin", host, "A=image", "B=image"} << "/srv";
    o.entrypoint = std::vector<std::string> {};
    QTest::addRow("empty-entrypoint-keeps-cmd") << o << nginx << QStringList {"nginx", "-g"}
                                                << QStringList {"PATH=/opt/bin:/bin", host, "A=image", "B=image"} << "/srv";
}

void TestRunOptions::imageMerge()
{
    QFETCH(RunOptions, options);
    QFETCH(ImageConfig, image);
    QFETCH(QStringList, args);
    QFETCH(QStringList, env);
    QFETCH(QString, cwd);
    const Spec spec = specFromRunOptions(options, image);
    QCOMPARE(toQt(spec.process.args), args);
    QCOMPARE(toQt(spec.process.env), env);
    QCOMPARE(QString::fromStdString(spec.process.cwd), cwd);
}

void TestRunOptions::imageUser_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<uint>("uid");
    QTest::addColumn<uint>("gid");
    QTest::addColumn<QString>("message");
    QTest::addRow("none") << "" << 0u << 0u << "";
    QTest::addRow("uid") << "1000" << 1000u << 1000u << "";
    QTest::addRow("uid-gid") << "1000:50" << 1000u << 50u << "";
    QTest::addRow("name") << "nobody" << 0u << 0u
                          << R"(image config: User "nobody": only numeric uid[:gid] is supported (names need the image's /etc/passwd))";
}

void TestRunOptions::imageUser()
{
    QFETCH(QString, user);
    QFETCH(uint, uid);
    QFETCH(uint, gid);
    QFETCH(QString, message);
    ImageConfig image;
    image.user = user.toStdString();
    try {
        const Spec spec = specFromRunOptions(options(), image);
        QVERIFY2(message.isEmpty(), qPrintable(message));
        QCOMPARE(spec.process.uid, uid);
        QCOMPARE(spec.process.gid, gid);
    } catch (const Error &e) {
        QCOMPARE(QString::fromStdString(e.what()), message);
    }
}

QTEST_GUILESS_MAIN(TestRunOptions)
#include "tst_runoptions.moc"
