// The container spec: config.json in and out, validation, defaults.
// Invalid rows patch full.json (which uses every field) at one JSON pointer and
// check the whole message, since the message is what the user reads.
#include "spec/spec.h"
#include "error.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <sys/resource.h>

using namespace hood;
using Json = nlohmann::json;

namespace {

std::string fixture(const QString &name)
{
    std::ifstream in(QStringLiteral(HOOD_FIXTURES_DIR "/spec/%1").arg(name).toStdString());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// full.json with the value at `pointer` replaced (or added); an empty value removes it.
std::string patchedFull(const QString &pointer, const QString &value)
{
    const std::string path = pointer.toStdString();
    Json op = value.isEmpty() ? Json{{"op", "remove"}, {"path", path}}
                              : Json{{"op", "add"}, {"path", path}, {"value", Json::parse(value.toStdString())}};
    return Json::parse(fixture("full.json")).patch(Json::array({op})).dump(2);
}

QString errorOf(const std::string &json, std::string_view source = "config.json")
{
    try {
        parseSpec(json, source);
    } catch (const Error &e) {
        return QString::fromStdString(e.what());
    }
    return QStringLiteral("(accepted)");
}

QStringList toQt(const std::vector<std::string> &strings)
{
    QStringList list;
    for (const std::string &s : strings)
        list << QString::fromStdString(s);
    return list;
}

const QString kNsRule = QStringLiteral("must be one of pid, mount, uts, ipc, network, user, cgroup, time");

} // namespace

class TestSpec : public QObject {
    Q_OBJECT

private slots:
    void runcSpecOutput();
    void minimal();
    void full();
    void rejectsInvalid_data();
    void rejectsInvalid();
    void syntaxErrors_data();
    void syntaxErrors();
    void numberOutOfRange();
    void messageNamesTheSource();
    void acceptsLimits_data();
    void acceptsLimits();
    void warnings_data();
    void warnings();
    void seccompFromConfig();
    void roundTrip_data();
    void roundTrip();
    void writesRuncsShape();
    void defaultSpecIsRuncsTemplate();
    void validateSpecBuiltInCode();
    void namespaceHelpers();
    void dockerCapabilities();
    void rlimitNames();
    void zeroCpuSharesIsUnset();
    void hooksAndDevices();
    void updateResources_data();
    void updateResources();
};

const char *const kHooksAndDevices = R"({"ociVersion": "1.0.2", "process": {"args": ["sh"]}, "root": {"path": "rootfs"},
    "hooks": {"prestart": [{"path": "/bin/a", "args": ["a", "1"], "env": ["X=1"], "timeout": 5}],
              "poststop": [{"path": "/bin/b"}]},
    "linux": {"resources": {"devices": [{"allow": false, "access": "rwm"},
                                        {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rw"}]}}})";

// hooks and linux.resources.devices are read in full and survive specToJson.
void TestSpec::hooksAndDevices()
{
    const ParsedSpec parsed = parseSpec(kHooksAndDevices);
    QVERIFY(parsed.warnings.empty());
    const Spec &s = parsed.spec;
    QCOMPARE(s.hooks.prestart.size(), size_t(1));
    QCOMPARE(s.hooks.prestart[0], (Hook{"/bin/a", {"a", "1"}, {"X=1"}, 5}));
    QCOMPARE(s.hooks.poststop[0], (Hook{"/bin/b", {}, {}, std::nullopt}));
    QCOMPARE(s.resources.devices.size(), size_t(2));
    QCOMPARE(s.resources.devices[0], (DeviceRule{false, 'a', -1, -1, "rwm"}));
    QCOMPARE(s.resources.devices[1], (DeviceRule{true, 'c', 1, 3, "rw"}));
    QVERIFY(s.resources.empty()); // device rules are no limit
    QVERIFY(parseSpec(specToJson(s)).spec == s);
}

void TestSpec::updateResources_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<qlonglong>("memory"); // -2: unset
    QTest::addColumn<qlonglong>("pids");
    QTest::addColumn<QString>("error");
    QTest::addRow("memory-and-pids") << R"({"memory": {"limit": 33554432}, "pids": {"limit": 20}})" << 33554432LL << 20LL << "";
    // containerd's shim sends every field; 0 is "not changed".
    QTest::addRow("zeros-unset") << R"({"memory": {"limit": 0, "swap": 0}, "cpu": {"shares": 0, "quota": 0, "period": 0}, "pids": {"limit": 0}})" << -2LL << -2LL << "";
    QTest::addRow("too-small") << R"({"memory": {"limit": 4096}})" << 0LL << 0LL << "stdin: linux.resources.memory.limit: must be at least 1 MiB (1048576 bytes)";
    QTest::addRow("not-json") << "{" << 0LL << 0LL << "stdin: syntax error at line 1, column 2: unexpected end of input; expected string literal";
}

void TestSpec::updateResources()
{
    QFETCH(QString, json);
    QFETCH(qlonglong, memory);
    QFETCH(qlonglong, pids);
    QFETCH(QString, error);
    std::vector<std::string> warnings;
    try {
        Resources r = parseResources(json.toStdString(), "stdin", warnings);
        QVERIFY(error.isEmpty());
        QCOMPARE(r.memoryLimit.value_or(-2), memory);
        QCOMPARE(r.pidsLimit.value_or(-2), pids);
        QVERIFY(!r.cpuShares && !r.cpuQuota && !r.cpuPeriod);
    } catch (const Error &e) {
        QCOMPARE(QString(e.what()), error);
    }
}

// Docker 20.10 sends "shares": 0 and "period": 0 for "not set"; runc reads them so.
void TestSpec::zeroCpuSharesIsUnset()
{
    const ParsedSpec parsed = parseSpec(patchedFull("/linux/resources/cpu", R"({"shares": 0, "period": 0})"));
    QVERIFY(!parsed.spec.resources.cpuShares);
    QVERIFY(!parsed.spec.resources.cpuPeriod);
}

void TestSpec::runcSpecOutput()
{
    const ParsedSpec parsed = parseSpec(fixture("runc-spec.json"));
    const Spec &s = parsed.spec;
    QCOMPARE(toQt(parsed.warnings), QStringList{}); // every field of runc's template is read
    QCOMPARE(s.resources.devices, (std::vector<DeviceRule>{{false, 'a', -1, -1, "rwm"}}));
    QCOMPARE(s.ociVersion, std::string("1.0.2-dev"));
    QVERIFY(s.process.terminal);
    QCOMPARE(s.process.args, std::vector<std::string>{"sh"});
    QCOMPARE(s.process.env.size(), size_t(2));
    QCOMPARE(s.hostname, std::string("runc"));
    QCOMPARE(s.root.path, std::string("rootfs"));
    QVERIFY(s.root.readonly);
    QCOMPARE(s.mounts.size(), size_t(7));
    QCOMPARE(s.mounts[2].destination, std::string("/dev/pts"));
    QCOMPARE(s.mounts[2].options.size(), size_t(6));
    QCOMPARE(s.namespaces.size(), size_t(5));
    QVERIFY(s.hasNamespace(NsKind::Network));
    QVERIFY(!s.hasNamespace(NsKind::User));
    QVERIFY(s.process.capabilities.has_value());
    QVERIFY(s.process.capabilities->inheritable.empty());
    QCOMPARE(s.process.capabilities->ambient.size(), size_t(3));
    QCOMPARE(s.process.rlimits, (std::vector<Rlimit>{{"RLIMIT_NOFILE", 1024, 1024}}));
    QCOMPARE(s.maskedPaths.size(), size_t(10));
    QCOMPARE(s.readonlyPaths.size(), size_t(5));
    QVERIFY(s.resources.empty());
}

void TestSpec::minimal()
{
    const ParsedSpec parsed = parseSpec(fixture("minimal.json"));
    const Spec &s = parsed.spec;
    QVERIFY(parsed.warnings.empty());
    QCOMPARE(s.process.args, std::vector<std::string>{"sh"});
    QCOMPARE(s.process.cwd, std::string("/"));
    QCOMPARE(s.process.uid, 0u);
    QVERIFY(!s.process.terminal);
    QVERIFY(!s.process.capabilities.has_value());
    QVERIFY(s.namespaces.empty());
    QVERIFY(s.mounts.empty());
    QVERIFY(s.hostname.empty());
    QVERIFY(!s.root.readonly);
}

void TestSpec::full()
{
    const ParsedSpec parsed = parseSpec(fixture("full.json"));
    const Spec &s = parsed.spec;
    QVERIFY(parsed.warnings.empty());
    const Process &p = s.process;
    QVERIFY(p.terminal);
    QCOMPARE(p.uid, 1000u);
    QCOMPARE(p.gid, 100u);
    QCOMPARE(p.additionalGids, (std::vector<uint32_t>{5, 27}));
    QCOMPARE(p.args, (std::vector<std::string>{"hood-demo", "mem", "200M"}));
    QCOMPARE(p.env.back(), std::string("EMPTY="));
    QCOMPARE(p.cwd, std::string("/tmp"));
    QCOMPARE(p.capabilities->bounding, (std::vector<std::string>{"CAP_CHOWN", "CAP_KILL"}));
    QCOMPARE(p.capabilities->effective, std::vector<std::string>{"CAP_KILL"});
    QCOMPARE(p.rlimits[1].hard, UINT64_MAX); // RLIM_INFINITY, as Go writes it
    QVERIFY(p.noNewPrivileges);
    QCOMPARE(s.root.path, std::string("/var/lib/hood/rootfs"));
    QCOMPARE(s.hostname, std::string("box-1.example"));
    QCOMPARE(s.mounts[1].options, (std::vector<std::string>{"rbind", "ro"}));
    QCOMPARE(s.uidMappings, (std::vector<IdMapping>{{0, 100000, 65536}}));
    QCOMPARE(s.gidMappings, s.uidMappings);
    QCOMPARE(s.resources.memoryLimit, std::optional<int64_t>(64 << 20));
    QCOMPARE(s.resources.cpuQuota, std::optional<int64_t>(20000));
    QCOMPARE(s.resources.cpuPeriod, std::optional<uint64_t>(100000));
    QCOMPARE(s.resources.cpuShares, std::optional<uint64_t>(512));
    QCOMPARE(s.resources.pidsLimit, std::optional<int64_t>(100));
    QCOMPARE(s.cgroupsPath, std::string("/hood/full"));
    QCOMPARE(s.namespaces.size(), kNamespaces.size());
    QCOMPARE(s.namespaceSetting(NsKind::Network)->path, std::string("/var/run/netns/hood"));
    QVERIFY(s.namespaceSetting(NsKind::Time)->path.empty());
    QCOMPARE(s.maskedPaths, std::vector<std::string>{"/proc/kcore"});
    QCOMPARE(s.readonlyPaths, std::vector<std::string>{"/proc/sys"});
}

void TestSpec::rejectsInvalid_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("value"); // JSON; empty removes the field
    QTest::addColumn<QString>("message");
    const QString cfg = QStringLiteral("config.json: ");

    // Wrong types.
    QTest::addRow("top-level-array") << "" << "[]" << cfg + "must be a JSON object";
    QTest::addRow("process-array") << "/process" << "[]" << cfg + "process: must be an object";
    QTest::addRow("args-string") << "/process/args" << R"("sh")" << cfg + "process.args: must be an array of strings";
    QTest::addRow("args-number-item") << "/process/args" << R"(["sh", 1])" << cfg + "process.args: must be an array of strings";
    QTest::addRow("terminal-string") << "/process/terminal" << R"("yes")" << cfg + "process.terminal: must be true or false";
    QTest::addRow("cwd-number") << "/process/cwd" << "1" << cfg + "process.cwd: must be a string";
    QTest::addRow("uid-negative") << "/process/user/uid" << "-1" << cfg + "process.user.uid: must be an integer from 0 to 4294967295";
    QTest::addRow("uid-too-big") << "/process/user/uid" << "4294967296" << cfg + "process.user.uid: must be an integer from 0 to 4294967295";
    QTest::addRow("gid-fraction") << "/process/user/gid" << "1.5" << cfg + "process.user.gid: must be an integer from 0 to 4294967295";
    QTest::addRow("gids-number") << "/process/user/additionalGids" << "5" << cfg + "process.user.additionalGids: must be an array of group IDs";
    QTest::addRow("gids-name") << "/process/user/additionalGids" << R"([5, "wheel"])" << cfg + "process.user.additionalGids[1]: must be an integer from 0 to 4294967295";
    QTest::addRow("caps-string") << "/process/capabilities/bounding" << R"("CAP_KILL")" << cfg + "process.capabilities.bounding: must be an array of strings";
    QTest::addRow("rlimit-no-hard") << "/process/rlimits/0" << R"({"type": "RLIMIT_NOFILE", "soft": 1})" << cfg + "process.rlimits[0].hard: required field missing";
    QTest::addRow("rlimit-negative") << "/process/rlimits/0/soft" << "-1" << cfg + "process.rlimits[0].soft: must be an integer from 0 to 18446744073709551615";
    QTest::addRow("root-string") << "/root" << R"("rootfs")" << cfg + "root: must be an object";
    QTest::addRow("readonly-number") << "/root/readonly" << "1" << cfg + "root.readonly: must be true or false";
    QTest::addRow("mounts-object") << "/mounts" << "{}" << cfg + "mounts: must be an array of objects";
    QTest::addRow("mount-string") << "/mounts/0" << R"("/proc")" << cfg + "mounts[0]: must be an object";
    QTest::addRow("mount-options-string") << "/mounts/1/options" << R"("ro")" << cfg + "mounts[1].options: must be an array of strings";
    QTest::addRow("ns-proc-name") << "/linux/namespaces/1/type" << R"("mnt")" << cfg + "linux.namespaces[1].type: " + kNsRule;
    QTest::addRow("ns-unknown") << "/linux/namespaces/1/type" << R"("fs")" << cfg + "linux.namespaces[1].type: " + kNsRule;
    QTest::addRow("ns-no-type") << "/linux/namespaces/4" << R"({"path": "/proc/1/ns/net"})" << cfg + "linux.namespaces[4].type: " + kNsRule;
    QTest::addRow("mapping-no-size") << "/linux/uidMappings/0" << R"({"containerID": 0, "hostID": 1000})" << cfg + "linux.uidMappings[0].size: required field missing";
    QTest::addRow("memory-string") << "/linux/resources/memory/limit" << R"("64M")" << cfg + "linux.resources.memory.limit: must be a positive number of bytes";
    QTest::addRow("memory-fraction") << "/linux/resources/memory/limit" << "6.5e7" << cfg + "linux.resources.memory.limit: must be a positive number of bytes";
    QTest::addRow("shares-string") << "/linux/resources/cpu/shares" << R"("512")" << cfg + "linux.resources.cpu.shares: must be an integer from 2 to 262144";
    QTest::addRow("cgroups-path-array") << "/linux/cgroupsPath" << "[]" << cfg + "linux.cgroupsPath: must be a string";

    // Invalid values.
    QTest::addRow("no-process") << "/process" << "" << cfg + "process.args: must not be empty";
    QTest::addRow("args-empty") << "/process/args" << "[]" << cfg + "process.args: must not be empty";
    QTest::addRow("args0-empty") << "/process/args" << R"([""])" << cfg + "process.args[0]: must not be empty";
    QTest::addRow("cwd-relative") << "/process/cwd" << R"("tmp")" << cfg + "process.cwd: must be an absolute path";
    QTest::addRow("env-no-equals") << "/process/env" << R"(["PATH=/bin", "NOEQUALS"])" << cfg + "process.env[1]: must be NAME=VALUE";
    QTest::addRow("env-no-name") << "/process/env" << R"(["=x"])" << cfg + "process.env[0]: must be NAME=VALUE";
    QTest::addRow("rlimit-unknown") << "/process/rlimits/0/type" << R"("RLIMIT_FOO")" << cfg + R"(process.rlimits[0].type: "RLIMIT_FOO" is not a resource limit (see getrlimit(2)))";
    QTest::addRow("rlimit-no-prefix") << "/process/rlimits/0/type" << R"("NOFILE")" << cfg + R"(process.rlimits[0].type: "NOFILE" is not a resource limit (see getrlimit(2)))";
    QTest::addRow("rlimit-twice") << "/process/rlimits/1/type" << R"("RLIMIT_NOFILE")" << cfg + "process.rlimits[1].type: RLIMIT_NOFILE is listed twice";
    QTest::addRow("rlimit-soft-above-hard") << "/process/rlimits/0/soft" << "4097" << cfg + "process.rlimits[0].soft: must not exceed hard (4096)";
    QTest::addRow("oom-score-high") << "/process/oomScoreAdj" << "1001" << cfg + "process.oomScoreAdj: must be an integer from -1000 to 1000";
    QTest::addRow("sysctl-number") << "/linux/sysctl" << R"({"net.ipv4.ip_forward": 1})" << cfg + "linux.sysctl.net.ipv4.ip_forward: must be a string";
    QTest::addRow("cap-lower-case") << "/process/capabilities/effective/0" << R"("cap_kill")" << cfg + R"(process.capabilities.effective[0]: unknown capability "cap_kill" (names look like CAP_CHOWN))";
    QTest::addRow("cap-no-prefix") << "/process/capabilities/ambient/0" << R"("KILL")" << cfg + R"(process.capabilities.ambient[0]: unknown capability "KILL" (names look like CAP_CHOWN))";
    QTest::addRow("cap-number") << "/process/capabilities/permitted/0" << R"("CAP_12")" << cfg + R"(process.capabilities.permitted[0]: unknown capability "CAP_12" (names look like CAP_CHOWN))";
    QTest::addRow("root-path-empty") << "/root/path" << R"("")" << cfg + "root.path: must not be empty";
    QTest::addRow("no-root") << "/root" << "" << cfg + "root.path: must not be empty";
    QTest::addRow("hostname-without-uts") << "/linux/namespaces/2" << "" << cfg + R"(hostname: needs a uts namespace (add {"type": "uts"} to linux.namespaces))";
    QTest::addRow("hostname-65") << "/hostname" << QString("\"%1\"").arg(QString(65, 'a')) << cfg + "hostname: must be at most 64 characters";
    QTest::addRow("hostname-underscore") << "/hostname" << R"("my_box")" << cfg + "hostname: may contain only letters, digits, '-' and '.', and must start with a letter or digit";
    QTest::addRow("hostname-leading-dash") << "/hostname" << R"("-box")" << cfg + "hostname: may contain only letters, digits, '-' and '.', and must start with a letter or digit";
    QTest::addRow("mount-relative") << "/mounts/1/destination" << R"("data")" << cfg + "mounts[1].destination: must be an absolute path";
    QTest::addRow("mount-no-destination") << "/mounts/0/destination" << "" << cfg + "mounts[0].destination: must be an absolute path";
    QTest::addRow("ns-twice") << "/linux/namespaces/-" << R"({"type": "pid"})" << cfg + "linux.namespaces[8].type: pid is listed twice";
    QTest::addRow("ns-path-relative") << "/linux/namespaces/4/path" << R"("netns/hood")" << cfg + "linux.namespaces[4].path: must be an absolute path";
    QTest::addRow("mappings-without-userns") << "/linux/namespaces/5" << "" << cfg + R"(linux.uidMappings: needs a user namespace (add {"type": "user"} to linux.namespaces))";
    QTest::addRow("mapping-size-zero") << "/linux/uidMappings/0/size" << "0" << cfg + "linux.uidMappings[0].size: must be greater than 0";
    QTest::addRow("mapping-past-max") << "/linux/gidMappings/0/hostID" << "4294967295" << cfg + "linux.gidMappings[0].size: the range goes past ID 4294967295";
    QTest::addRow("memory-zero") << "/linux/resources/memory/limit" << "0" << cfg + "linux.resources.memory.limit: must be a positive number of bytes";
    QTest::addRow("memory-negative") << "/linux/resources/memory/limit" << "-1" << cfg + "linux.resources.memory.limit: must be a positive number of bytes";
    QTest::addRow("memory-tiny") << "/linux/resources/memory/limit" << "1048575" << cfg + "linux.resources.memory.limit: must be at least 1 MiB (1048576 bytes)";
    QTest::addRow("quota-zero") << "/linux/resources/cpu/quota" << "0" << cfg + "linux.resources.cpu.quota: must be -1 (no limit) or at least 1000 microseconds";
    QTest::addRow("quota-below-1ms") << "/linux/resources/cpu/quota" << "999" << cfg + "linux.resources.cpu.quota: must be -1 (no limit) or at least 1000 microseconds";
    QTest::addRow("quota-minus-2") << "/linux/resources/cpu/quota" << "-2" << cfg + "linux.resources.cpu.quota: must be -1 (no limit) or at least 1000 microseconds";
    QTest::addRow("period-low") << "/linux/resources/cpu/period" << "999" << cfg + "linux.resources.cpu.period: must be from 1000 to 1000000 microseconds";
    QTest::addRow("period-high") << "/linux/resources/cpu/period" << "1000001" << cfg + "linux.resources.cpu.period: must be from 1000 to 1000000 microseconds";
    QTest::addRow("period-negative") << "/linux/resources/cpu/period" << "-1" << cfg + "linux.resources.cpu.period: must be from 1000 to 1000000 microseconds";
    QTest::addRow("shares-low") << "/linux/resources/cpu/shares" << "1" << cfg + "linux.resources.cpu.shares: must be an integer from 2 to 262144";
    QTest::addRow("shares-high") << "/linux/resources/cpu/shares" << "262145" << cfg + "linux.resources.cpu.shares: must be an integer from 2 to 262144";
    QTest::addRow("pids-zero") << "/linux/resources/pids/limit" << "0" << cfg + "linux.resources.pids.limit: must be -1 (no limit) or a positive number of processes";
    QTest::addRow("pids-minus-2") << "/linux/resources/pids/limit" << "-2" << cfg + "linux.resources.pids.limit: must be -1 (no limit) or a positive number of processes";
    QTest::addRow("masked-relative") << "/linux/maskedPaths/0" << R"("proc/kcore")" << cfg + "linux.maskedPaths[0]: must be an absolute path";
    QTest::addRow("readonly-relative") << "/linux/readonlyPaths/0" << R"("")" << cfg + "linux.readonlyPaths[0]: must be an absolute path";
    QTest::addRow("seccomp-no-default") << "/linux/seccomp" << R"({"syscalls": []})" << cfg + "linux.seccomp.defaultAction: required field missing";
    QTest::addRow("seccomp-notify") << "/linux/seccomp" << R"({"defaultAction": "SCMP_ACT_NOTIFY"})" << cfg + "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY needs a seccomp agent, which Hood does not have";
    QTest::addRow("seccomp-no-names") << "/linux/seccomp" << R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": [], "action": "SCMP_ACT_ERRNO"}]})" << cfg + "linux.seccomp.syscalls[0].names: must list at least one syscall";
    QTest::addRow("seccomp-arg-index") << "/linux/seccomp" << R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 6, "value": 0, "op": "SCMP_CMP_EQ"}]}]})" << cfg + "linux.seccomp.syscalls[0].args[0].index: must be an argument number from 0 to 5";
    QTest::addRow("seccomp-arg-op") << "/linux/seccomp" << R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 0, "op": "EQ"}]}]})" << cfg + "linux.seccomp.syscalls[0].args[0].op: must be one of SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ";
    QTest::addRow("seccomp-errno") << "/linux/seccomp" << R"({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 5000})" << cfg + "linux.seccomp.defaultErrnoRet: must be an errno number from 0 to 4095";
    QTest::addRow("hook-relative") << "/hooks" << R"({"prestart": [{"path": "bin/true"}]})" << cfg + "hooks.prestart[0].path: must be an absolute path";
    QTest::addRow("hook-no-path") << "/hooks" << R"({"poststop": [{"args": ["x"]}]})" << cfg + "hooks.poststop[0].path: required field missing";
    QTest::addRow("hook-timeout-zero") << "/hooks" << R"({"createRuntime": [{"path": "/bin/true", "timeout": 0}]})" << cfg + "hooks.createRuntime[0].timeout: must be a positive number of seconds";
    QTest::addRow("device-type") << "/linux/resources/devices" << R"([{"allow": true, "type": "x"}])" << cfg + "linux.resources.devices[0].type: must be a (all), b (block) or c (char)";
    QTest::addRow("device-access") << "/linux/resources/devices" << R"([{"allow": true, "access": "rx"}])" << cfg + "linux.resources.devices[0].access: must be letters of rwm (read, write, mknod)";
    QTest::addRow("device-no-allow") << "/linux/resources/devices" << R"([{"access": "r"}])" << cfg + "linux.resources.devices[0].allow: required field missing";
    QTest::addRow("seccomp-arch") << "/linux/seccomp" << R"({"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["x86_64"]})" << cfg + "linux.seccomp.architectures[0]: must be an SCMP_ARCH_ name";
}

void TestSpec::rejectsInvalid()
{
    QFETCH(QString, pointer);
    QFETCH(QString, value);
    QFETCH(QString, message);
    QCOMPARE(errorOf(patchedFull(pointer, value)), message);
}

void TestSpec::syntaxErrors_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("message");
    QTest::addRow("missing-comma-file") << QByteArray::fromStdString(fixture("syntax-error.json"))
        << "config.json: syntax error at line 3, column 11: unexpected string literal; expected '}'";
    QTest::addRow("missing-colon") << QByteArray("{\n \"a\": 1,\n  \"b\" 2}")
        << "config.json: syntax error at line 3, column 7: unexpected number literal; expected ':'";
    QTest::addRow("empty") << QByteArray("")
        << "config.json: syntax error at line 1, column 1: unexpected end of input; expected '[', '{', or a literal";
    QTest::addRow("truncated") << QByteArray("{\n  \"process\": {\n")
        << "config.json: syntax error at line 3, column 1: unexpected end of input; expected string literal";
    QTest::addRow("trailing-comma") << QByteArray("{\"hostname\": \"a\",}")
        << "config.json: syntax error at line 1, column 18: unexpected '}'; expected string literal";
    QTest::addRow("bad-literal") << QByteArray("{\n\t\"process\": {\"terminal\": tru}}")
        << "config.json: syntax error at line 2, column 29: invalid literal";
    // The offending bytes are not echoed: they need not be valid UTF-8.
    QTest::addRow("invalid-utf8") << QByteArray("{\"hostname\": \"\xff\"}")
        << "config.json: syntax error at line 1, column 15: invalid string: ill-formed UTF-8 byte";
    QTest::addRow("trailing-garbage") << QByteArray("{} x")
        << "config.json: syntax error at line 1, column 4: invalid literal; expected end of input";
}

void TestSpec::syntaxErrors()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, message);
    QCOMPARE(errorOf(text.toStdString()), message);
    // Hood counts lines and columns itself; nlohmann's own text must agree.
    try {
        const Json accepted = Json::parse(text.toStdString());
        Q_UNUSED(accepted);
        QFAIL("nlohmann accepted the text");
    } catch (const Json::parse_error &e) {
        const QString at = message.section(QStringLiteral("syntax error at "), 1).section(':', 0, 0);
        QVERIFY2(QString(e.what()).contains(at), e.what());
    }
}

void TestSpec::numberOutOfRange()
{
    QCOMPARE(errorOf("{\n  \"hostname\": 1e999\n}"),
             QString("config.json: number at line 2, column 15 is out of range: 1e999"));
}

void TestSpec::messageNamesTheSource()
{
    QCOMPARE(errorOf("{", "/bundles/web/config.json"),
             QString("/bundles/web/config.json: syntax error at line 1, column 2: unexpected end of input; expected string literal"));
    QCOMPARE(errorOf(patchedFull("/process/cwd", "\"x\""), "/bundles/web/config.json"),
             QString("/bundles/web/config.json: process.cwd: must be an absolute path"));
}

void TestSpec::acceptsLimits_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("value");
    QTest::addRow("memory-1MiB") << "/linux/resources/memory/limit" << "1048576";
    QTest::addRow("memory-int64-max") << "/linux/resources/memory/limit" << "9223372036854775807";
    QTest::addRow("quota-unlimited") << "/linux/resources/cpu/quota" << "-1";
    QTest::addRow("quota-1ms") << "/linux/resources/cpu/quota" << "1000";
    QTest::addRow("period-1ms") << "/linux/resources/cpu/period" << "1000";
    QTest::addRow("period-1s") << "/linux/resources/cpu/period" << "1000000";
    QTest::addRow("shares-2") << "/linux/resources/cpu/shares" << "2";
    QTest::addRow("shares-262144") << "/linux/resources/cpu/shares" << "262144";
    QTest::addRow("pids-unlimited") << "/linux/resources/pids/limit" << "-1";
    QTest::addRow("pids-1") << "/linux/resources/pids/limit" << "1";
    QTest::addRow("uid-max") << "/process/user/uid" << "4294967295";
    QTest::addRow("soft-equals-hard") << "/process/rlimits/0/soft" << "4096";
    QTest::addRow("hostname-64") << "/hostname" << QString("\"%1\"").arg(QString(64, 'a'));
    QTest::addRow("mapping-up-to-max") << "/linux/uidMappings/0" << R"({"containerID": 0, "hostID": 4294901760, "size": 65536})";
    QTest::addRow("ns-joined-by-path") << "/linux/namespaces/1/path" << R"("/proc/1/ns/mnt")";
    QTest::addRow("cap-newest") << "/process/capabilities/bounding/0" << R"("CAP_CHECKPOINT_RESTORE")";
    QTest::addRow("env-empty-value") << "/process/env/0" << R"("A=")";
    QTest::addRow("oom-score-adj") << "/process/oomScoreAdj" << "-999";
    QTest::addRow("sysctl") << "/linux/sysctl" << R"({"net.ipv4.ip_forward": "1", "kernel.shmmax": "65536"})";
}

// The value is read and kept: writing the spec back yields it at the same place.
void TestSpec::acceptsLimits()
{
    QFETCH(QString, pointer);
    QFETCH(QString, value);
    const ParsedSpec parsed = parseSpec(patchedFull(pointer, value));
    const Json written = Json::parse(specToJson(parsed.spec));
    QCOMPARE(QString::fromStdString(written.at(Json::json_pointer(pointer.toStdString())).dump()),
             QString::fromStdString(Json::parse(value.toStdString()).dump()));
}

void TestSpec::warnings_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("warning");
    const QString unimplemented = QStringLiteral(" ignored (an OCI field Hood does not implement)");
    QTest::addRow("unknown-top") << "/fancy" << "1" << "config.json: unknown field fancy ignored";
    QTest::addRow("unknown-in-process") << "/process/argz" << R"(["sh"])" << "config.json: unknown field process.argz ignored";
    QTest::addRow("unknown-in-memory") << "/linux/resources/memory/limitt" << "1" << "config.json: unknown field linux.resources.memory.limitt ignored";
    QTest::addRow("unknown-in-namespace") << "/linux/namespaces/0/flags" << "0" << "config.json: unknown field linux.namespaces[0].flags ignored";
    QTest::addRow("annotations") << "/annotations" << R"({"org.example": "x"})" << "config.json: annotations" + unimplemented;
    QTest::addRow("devices") << "/linux/devices" << "[]" << "config.json: linux.devices" + unimplemented;
    QTest::addRow("memory-swap") << "/linux/resources/memory/swap" << "0" << "config.json: linux.resources.memory.swap" + unimplemented;
    QTest::addRow("apparmor") << "/process/apparmorProfile" << R"("docker-default")" << "config.json: process.apparmorProfile" + unimplemented;
    // runc's rule: a name this kernel does not know is left out, not refused (podman and
    // Docker send the names of their own release).
    QTest::addRow("cap-unknown") << "/process/capabilities/bounding/-" << R"("CAP_FOO")" << "config.json: capability CAP_FOO is not known to this kernel; left out";
    QTest::addRow("username") << "/process/user/username" << R"("root")" << "config.json: process.user.username" + unimplemented;
    QTest::addRow("mount-idmap") << "/mounts/1/uidMappings" << "[]" << "config.json: mounts[1].uidMappings" + unimplemented;
    QTest::addRow("propagation") << "/linux/rootfsPropagation" << R"("private")" << "config.json: linux.rootfsPropagation" + unimplemented;
    // An unknown field is not type-checked, not even when it is wrong for the OCI spec.
    QTest::addRow("unimplemented-any-type") << "/linux/personality" << "42" << "config.json: linux.personality" + unimplemented;
}

void TestSpec::warnings()
{
    QFETCH(QString, pointer);
    QFETCH(QString, value);
    QFETCH(QString, warning);
    const ParsedSpec parsed = parseSpec(patchedFull(pointer, value));
    QCOMPARE(toQt(parsed.warnings), QStringList{warning});
    QVERIFY(parsed.spec == parseSpec(fixture("full.json")).spec);
}

// linux.seccomp in OCI form is read (not ignored), with a warning for a key it
// does not know.
void TestSpec::seccompFromConfig()
{
    const ParsedSpec parsed = parseSpec(patchedFull("/linux/seccomp", R"({"defaultAction": "SCMP_ACT_ERRNO", "fancy": 1,
        "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
        {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]}]})"));
    QVERIFY(parsed.spec.seccomp);
    const Seccomp &s = *parsed.spec.seccomp;
    QCOMPARE(s.defaultAction, std::string("SCMP_ACT_ERRNO"));
    QCOMPARE(s.syscalls.size(), size_t(2));
    QCOMPARE(s.syscalls[1].args.front(), (SeccompArg {0, 8, 0, "SCMP_CMP_EQ"}));
    QCOMPARE(parsed.warnings, std::vector<std::string> {"config.json: unknown field linux.seccomp.fancy ignored"});
}

void TestSpec::roundTrip_data()
{
    QTest::addColumn<QByteArray>("json");
    for (const char *name : {"runc-spec.json", "minimal.json", "full.json"})
        QTest::addRow("%s", name) << QByteArray::fromStdString(fixture(name));
    QTest::addRow("defaultSpec") << QByteArray::fromStdString(specToJson(defaultSpec()));
    Spec docker = defaultSpec();
    docker.process.capabilities = Capabilities{dockerDefaultCapabilities(), dockerDefaultCapabilities(), {},
                                               dockerDefaultCapabilities(), {}};
    docker.process.capabilities->bounding.clear(); // empty is "none", not "unchanged"
    QTest::addRow("docker-caps-empty-bounding") << QByteArray::fromStdString(specToJson(docker));
    Spec filtered = defaultSpec();
    filtered.seccomp = dockerDefaultSeccomp(hostSeccompTarget(dockerDefaultCapabilities()));
    QTest::addRow("docker-seccomp") << QByteArray::fromStdString(specToJson(filtered));
    QTest::addRow("hooks-and-devices") << QByteArray(kHooksAndDevices);
    QTest::addRow("nulls-are-absent") << QByteArray(R"({"process": {"args": ["sh"], "capabilities": null, "env": null},
                                                    "root": {"path": "r"}, "hostname": null})");
}

void TestSpec::roundTrip()
{
    QFETCH(QByteArray, json);
    const Spec first = parseSpec(json.toStdString()).spec;
    const std::string written = specToJson(first);
    const ParsedSpec second = parseSpec(written);
    QVERIFY(second.warnings.empty());
    QVERIFY(second.spec == first);
    QCOMPARE(specToJson(second.spec), written);
}

// What specToJson writes has the shape runc writes, field for field.
void TestSpec::writesRuncsShape()
{
    const Json runc = Json::parse(fixture("runc-spec.json"));
    const Json ours = Json::parse(specToJson(parseSpec(runc.dump()).spec));
    for (const char *pointer : {"/ociVersion", "/process/user", "/process/args", "/process/env", "/process/cwd",
                                "/process/rlimits", "/process/noNewPrivileges", "/process/capabilities/bounding",
                                "/root", "/hostname", "/mounts", "/linux/namespaces", "/linux/maskedPaths",
                                "/linux/readonlyPaths"}) {
        const Json::json_pointer at(pointer);
        QVERIFY2(ours.at(at) == runc.at(at), pointer);
    }
    QVERIFY(specToJson(defaultSpec()).starts_with("{\n  \"ociVersion\": \"1.0.2\",\n  \"process\": {\n"));
}

void TestSpec::defaultSpecIsRuncsTemplate()
{
    Spec ours = defaultSpec();
    validateSpec(ours);
    QVERIFY(!ours.process.terminal);
    QCOMPARE(ours.hostname, std::string("hood"));
    // The only differences from `runc spec`: no terminal, Hood's hostname, a released spec
    // version, and no device rules (hoodctl run makes no devices cgroup: /dev holds what it may use).
    QVERIFY(ours.resources.devices.empty());
    ours.resources.devices = {{false, 'a', -1, -1, "rwm"}};
    ours.process.terminal = true;
    ours.hostname = "runc";
    ours.ociVersion = "1.0.2-dev";
    QVERIFY(ours == parseSpec(fixture("runc-spec.json")).spec);
}

void TestSpec::validateSpecBuiltInCode()
{
    Spec spec = defaultSpec();
    spec.resources.memoryLimit = 0;
    try {
        validateSpec(spec, "hoodctl run");
        QFAIL("a zero memory limit was accepted");
    } catch (const Error &e) {
        QCOMPARE(QString(e.what()), QString("hoodctl run: linux.resources.memory.limit: must be a positive number of bytes"));
    }
    spec = defaultSpec();
    spec.setNamespace(NsKind::Uts, false);
    try {
        validateSpec(spec);
        QFAIL("a hostname without a uts namespace was accepted");
    } catch (const Error &e) {
        QCOMPARE(QString(e.what()), QString(R"(config.json: hostname: needs a uts namespace (add {"type": "uts"} to linux.namespaces))"));
    }
    spec.hostname.clear();
    validateSpec(spec);
}

void TestSpec::namespaceHelpers()
{
    Spec spec = defaultSpec();
    QVERIFY(spec.hasNamespace(NsKind::Pid));
    QVERIFY(!spec.hasNamespace(NsKind::User));
    QCOMPARE(spec.namespaceSetting(NsKind::User), nullptr);

    spec.setNamespace(NsKind::User, true);
    spec.setNamespace(NsKind::User, true);
    QCOMPARE(spec.namespaces.size(), size_t(6));
    QVERIFY(spec.namespaces.back() == (NamespaceSetting{NsKind::User, ""}));

    spec.namespaces[1].path = "/run/netns/lab"; // network, joined
    spec.setNamespace(NsKind::Network, true);
    QCOMPARE(spec.namespaceSetting(NsKind::Network)->path, std::string("/run/netns/lab"));

    spec.setNamespace(NsKind::Pid, false);
    QVERIFY(!spec.hasNamespace(NsKind::Pid));
    QCOMPARE(spec.namespaces.size(), size_t(5));
    validateSpec(spec);
}

void TestSpec::dockerCapabilities()
{
    const std::vector<std::string> &caps = dockerDefaultCapabilities();
    QCOMPARE(caps.size(), size_t(14));
    auto has = [&](const char *name) { return std::find(caps.begin(), caps.end(), name) != caps.end(); };
    QVERIFY(has("CAP_MKNOD"));
    QVERIFY(has("CAP_AUDIT_WRITE"));
    QVERIFY(!has("CAP_SYS_ADMIN"));
    QVERIFY(!has("CAP_NET_ADMIN"));
    Spec spec = defaultSpec();
    spec.process.capabilities = Capabilities{caps, caps, caps, caps, caps};
    validateSpec(spec); // every name is one libcap knows
}

void TestSpec::rlimitNames()
{
    QCOMPARE(rlimitResource("RLIMIT_NOFILE"), std::optional<int>(RLIMIT_NOFILE));
    QCOMPARE(rlimitResource("RLIMIT_RTTIME"), std::optional<int>(RLIMIT_RTTIME));
    QVERIFY(!rlimitResource("NOFILE"));
    QVERIFY(!rlimitResource("rlimit_nofile"));
}

QTEST_GUILESS_MAIN(TestSpec)
#include "tst_spec.moc"
