// Shared by the integration suites: run hoodctl for real and check that nothing
// of Hood stays behind on the machine.
#pragma once

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

namespace hoodtest {

struct Result {
    int code = -1;
    QString out;
    QString err;
};

inline bool isRoot()
{
    return geteuid() == 0;
}

inline QString hoodctl()
{
    return QStringLiteral(HOODCTL);
}

// Runs hoodctl with a private state root; `prefix` lets a test run it through
// setpriv (an unprivileged user), and `program` names another copy of hoodctl.
inline Result run(const QString &stateRoot, const QStringList &args, int timeoutMs = 60000,
                  const QByteArray &input = {}, const QStringList &prefix = {},
                  const QString &program = hoodctl())
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("HOOD_ROOT", stateRoot);
    p.setProcessEnvironment(env);
    QStringList all = prefix;
    all << program << args;
    p.start(all.takeFirst(), all);
    if (!p.waitForStarted())
        return {};
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {-2, QString::fromUtf8(p.readAllStandardOutput()), "timed out"};
    }
    Result r;
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

// Any program (podman, runc, docker's tools), with its status and output; -2 when it
// timed out (and was killed), -3 when it did not start.
inline Result runProgram(const QString &program, const QStringList &args, int timeoutMs = 120000,
                         const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    if (!p.waitForStarted())
        return {-3, {}, program + " did not start"};
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {-2, QString::fromUtf8(p.readAllStandardOutput()), "timed out"};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

// "key: value" lines (hood-demo whoami) -> map.
inline QMap<QString, QString> keyValues(const QString &text)
{
    QMap<QString, QString> map;
    for (const QString &line : text.split('\n')) {
        int colon = line.indexOf(": ");
        if (colon > 0)
            map.insert(line.left(colon), line.mid(colon + 2).trimmed());
    }
    return map;
}

inline QString hostNsInode(const QString &kind)
{
    QString link = QFile::symLinkTarget("/proc/self/ns/" + kind);
    QRegularExpressionMatch m = QRegularExpression("\\[(\\d+)\\]").match(link);
    return m.hasMatch() ? m.captured(1) : QString();
}

// Everything Hood could have left: cgroup directories under any hierarchy's hood/
// parent, mounts that mention the state root, and files in the state root.
inline QStringList leftovers(const QString &stateRoot)
{
    QStringList found;
    QDir cg("/sys/fs/cgroup");
    QStringList hoodParents = {"/sys/fs/cgroup/hood"};
    for (const QString &h : cg.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        hoodParents << "/sys/fs/cgroup/" + h + "/hood";
    for (const QString &parent : hoodParents) {
        for (const QString &child : QDir(parent).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            found << "cgroup " + parent + "/" + child;
    }
    QFile mounts("/proc/self/mountinfo");
    if (mounts.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : mounts.readAll().split('\n')) {
            if (line.contains(stateRoot.toUtf8()))
                found << "mount " + QString::fromUtf8(line);
        }
    }
    // A monitor or an init (hoodctl's image, before exec) that outlived its container:
    // found through the HOOD_ROOT that run() gives every hoodctl.
    const QByteArray marker = "HOOD_ROOT=" + stateRoot.toUtf8();
    for (const QString &pid : QDir("/proc").entryList(QDir::Dirs)) {
        QFile environ("/proc/" + pid + "/environ");
        if (pid.toInt() > 0 && pid.toInt() != getpid() && environ.open(QIODevice::ReadOnly)
            && environ.readAll().split('\0').contains(marker))
            found << "process " + pid + " " + QFile::symLinkTarget("/proc/" + pid + "/exe");
    }
    for (const QString &entry : QDir(stateRoot).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)) {
        // The compiled seccomp programs, one per distinct filter (runtime/seccompfilter.h): a cache, not a container's.
        if (entry != "#seccomp")
            found << "state " + stateRoot + "/" + entry;
    }
    return found;
}

// A cgroup v1 or v2 file of a running container, e.g. ("cpuacct", "cpuacct.usage").
inline QString cgroupFile(const QString &id, const QString &controller, const QString &file)
{
    QString v1 = "/sys/fs/cgroup/" + controller + "/hood/" + id + "/" + file;
    if (QFile::exists(v1))
        return v1;
    return "/sys/fs/cgroup/hood/" + id + "/" + file;
}

inline QString builtinRootfs()
{
    return QStringLiteral(HOOD_BINARY_DIR) + "/images/busybox/rootfs";
}

// hoodctl and the built-in image copied where any user can reach them, for tests
// that run hoodctl as nobody: the build tree may lie under a directory only its
// owner may enter (/root, or a home directory, 0700 by default on Debian 12).
// hoodctl finds the copied image through HOOD_IMAGES_DIR (see env()).
class ReachableCopy {
public:
    ReachableCopy() : m_dir("/tmp/hood-tst-reach-XXXXXX")
    {
        const auto open = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
            | QFile::ReadOther | QFile::ExeOther;
        m_ok = m_dir.isValid() && QFile::setPermissions(m_dir.path(), open)
            && QFile::copy(hoodctl(), hoodctlPath())
            && QDir().mkpath(m_dir.path() + "/images/busybox");
        if (m_ok) {
            QProcess cp;
            cp.start("cp", {"-a", builtinRootfs(), m_dir.path() + "/images/busybox/rootfs"});
            m_ok = cp.waitForFinished(60000) && cp.exitStatus() == QProcess::NormalExit
                && cp.exitCode() == 0;
        }
    }
    bool ok() const { return m_ok; }
    QString hoodctlPath() const { return m_dir.path() + "/hoodctl"; }
    // For the prefix of run(): `env HOOD_IMAGES_DIR=<copy>/images`.
    QStringList env() const { return {"env", "HOOD_IMAGES_DIR=" + m_dir.path() + "/images"}; }

private:
    QTemporaryDir m_dir;
    bool m_ok = false;
};

// The prefix for run() that makes hoodctl (the copy's) run as the unprivileged user nobody.
inline QStringList asNobody(const ReachableCopy &copy)
{
    return QStringList {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"} + copy.env();
}

} // namespace hoodtest
