// core/inspect/security: /proc/PID/status's security fields and the id maps on
// fixtures (tests/core/fixtures/security), the capability table against the
// kernel's and libcap's numbering, and the seccomp summary of Docker's default
// profile against this machine's syscall table.
#include "inspect/security.h"
#include "runtime/seccompfilter.h"
#include "spec/seccomp.h"
#include "sys/fileio.h"

#include <QtTest>

#include <sys/capability.h>

using namespace hood;
using namespace hood::inspect;

namespace {

std::string fixture(const char *name)
{
    return readFile(std::string(HOOD_FIXTURES_DIR "/security/") + name);
}

QStringList names(const std::vector<CapabilityInfo> &caps)
{
    QStringList out;
    for (const CapabilityInfo &c : caps)
        out << QString::fromUtf8(c.name.data(), qsizetype(c.name.size()));
    return out;
}

} // namespace

class TestSecurityView : public QObject {
    Q_OBJECT

private slots:
    void parsesStatus_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("effective");
        QTest::addColumn<int>("noNewPrivs"); // -1: the kernel has no such line
        QTest::addColumn<int>("seccomp");
        QTest::addColumn<int>("filters");
        QTest::addRow("docker") << "status-docker" << 14 << 1 << 2 << 1;
        QTest::addRow("host-root") << "status-host-root" << 41 << 0 << 0 << -1;
        QTest::addRow("kernel-4.4") << "status-4.4" << 38 << -1 << 0 << -1;
    }

    void parsesStatus()
    {
        QFETCH(QString, file);
        QFETCH(int, effective);
        QFETCH(int, noNewPrivs);
        QFETCH(int, seccomp);
        QFETCH(int, filters);
        const ProcSecurity s = parseProcSecurity(fixture(file.toLatin1().constData()));
        QCOMPARE(int(decodeCapabilities(s.effective).size()), effective);
        QCOMPARE(s.noNewPrivs.value_or(-1), noNewPrivs);
        QCOMPARE(s.seccompMode.value_or(-1), seccomp);
        QCOMPARE(s.seccompFilters.value_or(-1), filters);
        QCOMPARE(s.ambient, uint64_t(0));
    }

    // Docker's 14, by name (moby oci/caps/defaults.go).
    void decodesDockerSet()
    {
        const ProcSecurity s = parseProcSecurity(fixture("status-docker"));
        QCOMPARE(names(decodeCapabilities(s.effective)),
                 QStringList({"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
                              "CAP_SETUID", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SYS_CHROOT",
                              "CAP_MKNOD", "CAP_AUDIT_WRITE", "CAP_SETFCAP"}));
        QCOMPARE(names(decodeCapabilities(uint64_t(1) << 50)), QStringList {"CAP_50"});
    }

    // Bit N is the kernel's capability N, and the name is libcap's for N.
    void tableMatchesTheKernel()
    {
        const auto &table = capabilityTable();
        QCOMPARE(int(table.size()), CAP_CHECKPOINT_RESTORE + 1);
        for (size_t i = 0; i < table.size(); ++i) {
            QCOMPARE(table[i].bit, int(i));
            QVERIFY(!table[i].allows.empty());
            std::unique_ptr<char, decltype(&cap_free)> name(cap_to_name(cap_value_t(i)), &cap_free);
            QCOMPARE(QString(name.get()).toUpper(), QString::fromUtf8(table[i].name.data(), qsizetype(table[i].name.size())));
        }
        QCOMPARE(table[CAP_SYS_ADMIN].name, std::string_view("CAP_SYS_ADMIN"));
    }

    void idMaps_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("lines");
        QTest::addColumn<bool>("identity");
        QTest::addRow("host") << "uid_map-host" << 1 << true;
        QTest::addRow("userns") << "uid_map-userns" << 2 << false;
    }

    void idMaps()
    {
        QFETCH(QString, file);
        QFETCH(int, lines);
        QFETCH(bool, identity);
        const std::vector<IdMapLine> map = parseIdMap(fixture(file.toLatin1().constData()));
        QCOMPARE(int(map.size()), lines);
        QCOMPARE(isIdentityMap(map), identity);
        if (!identity)
            QCOMPARE(map[0], (IdMapLine {0, 100000, 65536}));
        QVERIFY(parseIdMap("0 0\nx y z\n-1 0 1\n").empty());
    }

    void pathReasons()
    {
        QVERIFY(maskedPathReason("/proc/kcore").find("physical memory") != std::string_view::npos);
        QVERIFY(readonlyPathReason("/proc/sysrq-trigger").find("SysRq") != std::string_view::npos);
        QVERIFY(!maskedPathReason("/proc/unknown").empty());
        QVERIFY(syscallReason("keyctl").find("keyrings") != std::string_view::npos);
    }

    // Docker's profile on this machine: most calls through, the dangerous ones
    // blocked; allowed and blocked add up to what the machine knows.
    void dockerProfileSummary()
    {
        const Seccomp docker = dockerDefaultSeccomp(hostSeccompTarget({"CAP_CHOWN", "CAP_KILL"}));
        const std::vector<std::string> known = nativeSyscallNames();
        QVERIFY(known.size() > 300);
        const SeccompView v = viewSeccomp(docker, known);
        QVERIFY(v.configured);
        QCOMPARE(v.allowedHere + v.blocked, known.size());
        QVERIFY2(v.allowedHere > 250 && v.blocked > 20, qPrintable(QString("%1 allowed, %2 blocked").arg(v.allowedHere).arg(v.blocked)));
        for (const char *n : {"keyctl", "bpf", "mount", "unshare", "kexec_load"})
            QVERIFY2(std::find(v.summary.notableBlocked.begin(), v.summary.notableBlocked.end(), n) != v.summary.notableBlocked.end(), n);
        QVERIFY(!viewSeccomp(std::nullopt, known).configured);
        // An allow-by-default filter blocks only what it names.
        const Seccomp one {"SCMP_ACT_ALLOW", {}, {}, {}, {{{"keyctl"}, "SCMP_ACT_ERRNO", {}, {}}}};
        const SeccompView v1 = viewSeccomp(one, {"read", "write", "keyctl"});
        QCOMPARE(v1.blocked, size_t(1));
        QCOMPARE(v1.allowedHere, size_t(2));
    }

    void readsAProcTree()
    {
        QTemporaryDir proc;
        QVERIFY(QDir().mkpath(proc.filePath("77")));
        writeNewFile(proc.filePath("77/status").toStdString(), fixture("status-docker"));
        writeNewFile(proc.filePath("77/uid_map").toStdString(), fixture("uid_map-userns"));
        Spec spec;
        spec.maskedPaths = {"/proc/kcore"};
        const SecurityView v = readSecurityView(proc.path().toStdString(), 77, spec, {"read"});
        QVERIFY2(v.problem.empty(), v.problem.c_str());
        QCOMPARE(v.proc.seccompMode, std::optional<int>(2));
        QCOMPARE(v.uidMap.size(), size_t(2));
        QVERIFY(v.gidMap.empty());
        QCOMPARE(v.maskedPaths, std::vector<std::string> {"/proc/kcore"});
        const SecurityView gone = readSecurityView(proc.path().toStdString(), 78, spec, {});
        QVERIFY(gone.problem.find("78/status") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestSecurityView)
#include "tst_securityview.moc"
