// Docker's seccomp profile format resolved for a container (capabilities, CPU
// architecture, kernel), its errors, and a filter installed for real in a child.
#include "error.h"
#include "runtime/seccompfilter.h"
#include "spec/seccomp.h"
#include "spec/spec.h"

#include <QtTest>

#include <cerrno>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace hood;

namespace {

const SeccompSyscall *ruleFor(const Seccomp &s, const std::string &name)
{
    for (const SeccompSyscall &c : s.syscalls) {
        if (std::find(c.names.begin(), c.names.end(), name) != c.names.end())
            return &c;
    }
    return nullptr;
}

// errno of keyctl(KEYCTL_GET_KEYRING_ID) in a child under the filter; 0 when it ran.
int keyctlErrnoUnder(const Seccomp &s)
{
    pid_t child = fork();
    if (child == 0) {
        prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        try {
            installSeccomp(s);
        } catch (const Error &) {
            _exit(250);
        }
        long rc = syscall(SYS_keyctl, 0, -3, 0);
        _exit(rc < 0 ? errno : 0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

class TestSeccomp : public QObject {
    Q_OBJECT

private slots:
    void defaultProfile_data()
    {
        QTest::addColumn<QStringList>("caps");
        QTest::addColumn<QString>("arch");
        QTest::addColumn<QString>("kernel");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expect"); // allow, args (allowed with argument filters), none, errno:N
        const QStringList docker = [] {
            QStringList l;
            for (const std::string &c : dockerDefaultCapabilities())
                l << QString::fromStdString(c);
            return l;
        }();
        const QStringList admin = docker + QStringList {"CAP_SYS_ADMIN"};
        QTest::addRow("read") << docker << "amd64" << "6.1.0" << "read" << "allow";
        QTest::addRow("arch_prctl-amd64") << docker << "amd64" << "6.1.0" << "arch_prctl" << "allow";
        QTest::addRow("arch_prctl-arm64") << docker << "arm64" << "6.1.0" << "arch_prctl" << "none";
        QTest::addRow("mount-default") << docker << "amd64" << "6.1.0" << "mount" << "none";
        QTest::addRow("mount-sys-admin") << admin << "amd64" << "6.1.0" << "mount" << "allow";
        QTest::addRow("unshare-default") << docker << "amd64" << "6.1.0" << "unshare" << "none";
        QTest::addRow("keyctl") << docker << "amd64" << "6.1.0" << "keyctl" << "none";
        QTest::addRow("bpf") << docker << "amd64" << "6.1.0" << "bpf" << "none";
        QTest::addRow("perf_event_open") << docker << "amd64" << "6.1.0" << "perf_event_open" << "none";
        QTest::addRow("clone-no-namespaces") << docker << "amd64" << "6.1.0" << "clone" << "args";
        QTest::addRow("clone-sys-admin") << admin << "amd64" << "6.1.0" << "clone" << "allow";
        QTest::addRow("clone3-enosys") << docker << "amd64" << "6.1.0" << "clone3" << "errno:38";
        QTest::addRow("clone3-sys-admin") << admin << "amd64" << "6.1.0" << "clone3" << "allow";
        QTest::addRow("personality") << docker << "amd64" << "6.1.0" << "personality" << "args";
        QTest::addRow("socket") << docker << "amd64" << "6.1.0" << "socket" << "args";
        QTest::addRow("ptrace-new-kernel") << docker << "amd64" << "6.1.0" << "ptrace" << "allow";
        QTest::addRow("ptrace-old-kernel") << docker << "amd64" << "4.4.0" << "ptrace" << "none";
        QTest::addRow("reboot-sys-boot") << (docker + QStringList {"CAP_SYS_BOOT"}) << "amd64" << "6.1.0" << "reboot" << "allow";
    }

    void defaultProfile()
    {
        QFETCH(QStringList, caps);
        QFETCH(QString, arch);
        QFETCH(QString, kernel);
        QFETCH(QString, name);
        QFETCH(QString, expect);
        SeccompTarget t;
        for (const QString &c : caps)
            t.capabilities.push_back(c.toStdString());
        t.arch = arch.toStdString();
        t.kernel = kernel.toStdString();
        const Seccomp s = dockerDefaultSeccomp(t);
        QCOMPARE(QString::fromStdString(s.defaultAction), QString("SCMP_ACT_ERRNO"));
        // An unconditional allow wins over any conditional rule for the same name.
        bool allowed = false, conditional = false;
        std::optional<uint32_t> errnoRet;
        for (const SeccompSyscall &c : s.syscalls) {
            if (std::find(c.names.begin(), c.names.end(), name.toStdString()) == c.names.end())
                continue;
            if (c.action == "SCMP_ACT_ALLOW")
                (c.args.empty() ? allowed : conditional) = true;
            else if (c.action == "SCMP_ACT_ERRNO")
                errnoRet = c.errnoRet;
        }
        QString got = allowed ? "allow" : conditional ? "args" : errnoRet ? "errno:" + QString::number(*errnoRet) : "none";
        QCOMPARE(got, expect);
    }

    void architectures_data()
    {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<QStringList>("expect");
        QTest::addRow("amd64") << "amd64" << QStringList {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"};
        QTest::addRow("arm64") << "arm64" << QStringList {"SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"};
        QTest::addRow("riscv64") << "riscv64" << QStringList {"SCMP_ARCH_RISCV64"};
        QTest::addRow("unknown") << "vax" << QStringList {};
    }

    void architectures()
    {
        QFETCH(QString, arch);
        QFETCH(QStringList, expect);
        SeccompTarget t {dockerDefaultCapabilities(), arch.toStdString(), "6.1.0"};
        QStringList got;
        for (const std::string &a : dockerDefaultSeccomp(t).architectures)
            got << QString::fromStdString(a);
        QCOMPARE(got, expect);
    }

    void badProfiles_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        const QString p = "seccomp profile p.json: ";
        QTest::addRow("not-json") << QByteArray("{\"defaultAction\": ") << p + "not valid JSON: unexpected end of input; expected '[', '{', or a literal";
        QTest::addRow("not-object") << QByteArray("[]") << p + "must be a JSON object";
        QTest::addRow("no-default") << QByteArray("{}") << p + "defaultAction: required field missing";
        QTest::addRow("name-and-names") << QByteArray(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"name": "a", "names": ["b"], "action": "SCMP_ACT_ERRNO"}]})")
                                        << p + "syscalls[0]: give either name or names, not both";
        QTest::addRow("arch-and-map") << QByteArray(R"({"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86"], "archMap": []})")
                                      << p + "give either architectures or archMap, not both";
        QTest::addRow("bad-action") << QByteArray(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"], "action": "DENY"}]})")
                                    << p + "syscalls[0].action: must be one of SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL_PROCESS, SCMP_ACT_TRAP, SCMP_ACT_TRACE, SCMP_ACT_LOG, SCMP_ACT_NOTIFY";
        QTest::addRow("includes-not-object") << QByteArray(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_ERRNO", "includes": []}]})")
                                             << p + "syscalls[0].includes: must be an object";
        QTest::addRow("caps-not-strings") << QByteArray(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_ERRNO", "excludes": {"caps": [1]}}]})")
                                          << p + "syscalls[0].excludes.caps: must be an array of strings";
        QTest::addRow("listener") << QByteArray(R"({"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/agent.sock"})")
                                  << p + "listenerPath: a seccomp agent is not supported by Hood";
    }

    void badProfiles()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        try {
            seccompFromDockerProfile(json.toStdString(), hostSeccompTarget({}), "seccomp profile p.json");
            QFAIL("accepted");
        } catch (const Error &e) {
            QCOMPARE(QString::fromStdString(e.what()), message);
        }
    }

    void summary()
    {
        const Seccomp s = dockerDefaultSeccomp(hostSeccompTarget(dockerDefaultCapabilities()));
        const SeccompSummary sum = summarizeSeccomp(s);
        QVERIFY2(sum.allowed > 300, qPrintable(QString::number(sum.allowed)));
        QVERIFY(sum.conditional >= 2); // socket, personality (clone is allowed only without CLONE_NEW*)
        for (const char *n : {"keyctl", "bpf", "mount", "unshare", "perf_event_open", "setns"})
            QVERIFY2(std::find(sum.notableBlocked.begin(), sum.notableBlocked.end(), n) != sum.notableBlocked.end(), n);
        QVERIFY(summarizeSeccomp(Seccomp {"SCMP_ACT_ALLOW", {}, {}, {}, {}}).notableBlocked.empty());
        QVERIFY(ruleFor(s, "clone3"));
    }

    // The filter for real: Docker's default refuses keyctl with EPERM, an allow-all
    // filter does not.
    void installedFilterBlocks()
    {
        const Seccomp docker = dockerDefaultSeccomp(hostSeccompTarget(dockerDefaultCapabilities()));
        QCOMPARE(keyctlErrnoUnder(docker), EPERM);
        Seccomp allowAll {"SCMP_ACT_ALLOW", {}, {}, {}, {}};
        QVERIFY(keyctlErrnoUnder(allowAll) != EPERM);
        Seccomp custom = allowAll;
        custom.syscalls.push_back({{"keyctl"}, "SCMP_ACT_ERRNO", 38, {}});
        QCOMPARE(keyctlErrnoUnder(custom), 38);
        QVERIFY(resolvedSyscallCount(docker) > 300);
    }

    void unknownArchitectureFails()
    {
        Seccomp s {"SCMP_ACT_ALLOW", {}, {"SCMP_ARCH_VAX"}, {}, {}};
        pid_t child = fork();
        if (child == 0) {
            try {
                installSeccomp(s);
            } catch (const Error &e) {
                _exit(std::string(e.what()) == "seccomp: unknown architecture SCMP_ARCH_VAX" ? 0 : 1);
            }
            _exit(2);
        }
        int status = 0;
        waitpid(child, &status, 0);
        QCOMPARE(WEXITSTATUS(status), 0);
    }
};

QTEST_GUILESS_MAIN(TestSeccomp)
#include "tst_seccomp.moc"
