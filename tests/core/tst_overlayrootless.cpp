// Rootless overlay (issue 8): layers unpacked without root carry user.overlay.opaque,
// and Hood's overlay mount in a user namespace takes `userxattr`, so an opaque
// directory hides the lower layer's files there too, and a directory replaced in
// the container is marked user.overlay.opaque in the upper (what diff and commit
// read). Runs as an unprivileged user (nobody when the test runs as root) in a user
// namespace of its own; skipped when the kernel refuses one.
#include "error.h"
#include "image/changes.h"
#include "image/extract.h"
#include "imagetest.h"
#include "runtime/launch.h"
#include "runtime/rootfs.h"
#include "sys/fd.h"
#include "sys/fileio.h"

#include <QDir>
#include <QtTest>

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

using namespace hood;
using namespace hood::image;

namespace {

constexpr uid_t kNobody = 65534;

void unpack(const std::string &tar, const std::string &dir)
{
    Fd src(open(tar.c_str(), O_RDONLY | O_CLOEXEC));
    Fd target(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    ExtractOptions o;
    o.layer = "layer " + tar;
    o.asRoot = false;
    o.userXattr = true;
    extractTar(src.get(), -1, target.get(), o);
}

std::string names(const std::string &dir)
{
    QStringList out = QDir(QString::fromStdString(dir)).entryList(QDir::AllEntries | QDir::NoDotAndDotDot);
    out.sort();
    return out.join(",").toStdString();
}

// In the child: becomes an unprivileged user, unpacks the two layers, enters a user
// and mount namespace, mounts the overlay as Hood's init does, and reports what it
// sees as "merged d: ...\nupper e opaque: y|n\ndiff: ...". "SKIP <why>" when the
// machine cannot.
std::string rootlessRun(const std::string &base)
{
    const uid_t uid = geteuid() == 0 ? kNobody : geteuid();
    const gid_t gid = geteuid() == 0 ? kNobody : getegid();
    if (geteuid() == 0 && (setgroups(0, nullptr) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0))
        return "SKIP cannot become nobody: " + errnoText(errno);
    prctl(PR_SET_DUMPABLE, 1); // a changed uid makes /proc/self root's: uid_map could not be written
    for (const char *d : {"/bottom", "/top", "/upper", "/work", "/merged"})
        mkdir((base + d).c_str(), 0755);
    unpack(base + "/bottom.tar", base + "/bottom");
    unpack(base + "/top.tar", base + "/top");
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0)
        return "SKIP unshare(CLONE_NEWUSER | CLONE_NEWNS) as uid " + std::to_string(uid) + ": " + errnoText(errno);
    writeFile("/proc/self/setgroups", "deny");
    writeFile("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1");
    writeFile("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1");
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0)
        return "SKIP make mounts private in a user namespace: " + errnoText(errno);
    RootfsLayers layers;
    layers.lowers = {base + "/top", base + "/bottom"};
    layers.upper = RootfsLayers::Upper::Persistent;
    layers.upperDir = base + "/upper";
    layers.workDir = base + "/work";
    layers.userXattr = true;
    Fd mergedFd(open((base + "/merged").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    try {
        mountOverlay(layers, {}, mergedFd.get(), base + "/merged");
    } catch (const Error &e) {
        if (e.code() == EPERM || e.code() == EINVAL)
            return std::string("SKIP this kernel mounts no overlay in a user namespace: ") + e.what();
        throw;
    }
    std::string out = "merged d: " + names(base + "/merged/d") + "\n";
    // A directory of the lower replaced in the container: overlayfs makes it opaque.
    Fd merged(open((base + "/merged").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)); // the overlay, not the dir below
    if (!merged || !removeAt(merged.get(), "e") || mkdir((base + "/merged/e").c_str(), 0755) < 0)
        return "replace e: " + errnoText(errno);
    char v[4] = {};
    out += std::string("upper e opaque: ")
           + (getxattr((base + "/upper/e").c_str(), "user.overlay.opaque", v, sizeof v) == 1 && v[0] == 'y' ? "y" : "n")
           + "\n";
    merged.reset();
    umount2((base + "/merged").c_str(), MNT_DETACH);
    std::string diff;
    for (const Change &c : diffUpper(base + "/upper", layers.lowers))
        diff += std::string(diff.empty() ? "" : ",") + c.kind + c.path;
    return out + "diff: " + diff;
}

} // namespace

class TestOverlayRootless : public QObject {
    Q_OBJECT

private slots:
    void opaqueDirectories()
    {
        QTemporaryDir tmp;
        const std::string base = tmp.path().toStdString();
        imagetest::writeTar(base + "/bottom.tar", {{'d', "d/", ""}, {'f', "d/old", "1"}, {'d', "e/", ""}, {'f', "e/x", "2"}});
        imagetest::writeTar(base + "/top.tar", {{'d', "d/", ""}, {'f', "d/.wh..wh..opq", ""}, {'f', "d/new", "3"}});
        if (geteuid() == 0)
            QVERIFY(chown(base.c_str(), kNobody, kNobody) == 0 && chmod(base.c_str(), 0755) == 0);
        const std::string got = imagetest::inChild([&] { return rootlessRun(base); });
        if (got.rfind("SKIP ", 0) == 0)
            QSKIP(got.c_str() + 5);
        const QStringList lines = QString::fromStdString(got).split('\n');
        QVERIFY2(lines.size() == 3, got.c_str());
        QCOMPARE(lines[0], QString("merged d: new")); // the bottom's d/old is hidden
        QCOMPARE(lines[1], QString("upper e opaque: y"));
        QCOMPARE(lines[2], QString("diff: C/e,D/e/x"));
    }
};

QTEST_GUILESS_MAIN(TestOverlayRootless)
#include "tst_overlayrootless.moc"
