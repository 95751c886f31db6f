// Fixture trees for the cgroup unit tests: plain directories and files in a
// QTemporaryDir laid out like /sys/fs/cgroup (v1 hierarchies, hybrid, or v2),
// and the control files of fixtures/cgroups/ put where the kernel has them.
#pragma once

#include "cgroups/cgroups.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

namespace cgfixture {

using namespace hood;

inline const QString kUnlimitedV1 = QStringLiteral("9223372036854771712\n");

inline QString fixturePath(const QString &name)
{
    return QStringLiteral(HOOD_FIXTURES_DIR "/cgroups/") + name;
}

inline QString readText(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("(missing)");
    return QString::fromUtf8(file.readAll());
}

inline std::string fixtureText(const QString &name)
{
    return readText(fixturePath(name)).toStdString();
}

// A fake cgroup root in a temporary directory.
class Tree {
public:
    Tree() { QVERIFY(m_dir.isValid()); }
    QString root() const { return m_dir.path(); }
    std::string rootStd() const { return root().toStdString(); }
    QString path(const QString &rel) const { return root() + "/" + rel; }
    void mkdir(const QString &rel) { QVERIFY(QDir().mkpath(path(rel))); }
    void write(const QString &rel, const QString &text)
    {
        QFile file(path(rel));
        QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path(rel)));
        file.write(text.toUtf8());
    }
    QString read(const QString &rel) const { return readText(path(rel)); }
    bool exists(const QString &rel) const { return QFileInfo::exists(path(rel)); }
    void copyFixture(const QString &name, const QString &rel)
    {
        QVERIFY(QFile::copy(fixturePath(name), path(rel)));
    }

private:
    QTemporaryDir m_dir;
};

enum class Layout { V1, V1CoMounted, V1NoBlkio, Hybrid, V2 };

inline CgroupMode modeOf(Layout layout)
{
    switch (layout) {
    case Layout::Hybrid: return CgroupMode::Hybrid;
    case Layout::V2: return CgroupMode::V2;
    default: return CgroupMode::V1;
    }
}

// The hierarchy roots as on the build machine (each holds a cgroup.procs), or a
// v2 root whose cgroup.controllers lists `controllers`.
inline void buildTree(Tree &tree, Layout layout,
                      const QString &controllers = "cpuset cpu io memory hugetlb pids rdma misc\n")
{
    if (layout == Layout::V2) {
        tree.write("cgroup.procs", "1\n");
        tree.write("cgroup.controllers", controllers);
        tree.write("cgroup.subtree_control", "");
        return;
    }
    QStringList hierarchies = {"memory", "pids", "cpuset", "devices", "freezer", "systemd"};
    if (layout == Layout::V1CoMounted) {
        hierarchies << "cpu,cpuacct";
        QVERIFY(QFile::link("cpu,cpuacct", tree.path("cpu")));
        QVERIFY(QFile::link("cpu,cpuacct", tree.path("cpuacct")));
    } else {
        hierarchies << "cpu"
                    << "cpuacct";
    }
    if (layout != Layout::V1NoBlkio)
        hierarchies << "blkio";
    if (layout == Layout::Hybrid)
        hierarchies << "unified";
    for (const QString &h : hierarchies) {
        tree.mkdir(h);
        tree.write(h + "/cgroup.procs", "1\n");
    }
}

inline std::unique_ptr<CgroupManager> manager(const Tree &tree, Layout layout,
                                              const std::string &name = "c1")
{
    CgroupOptions options;
    options.root = tree.rootStd();
    options.name = name;
    options.mode = modeOf(layout);
    return makeCgroupManager(options);
}

// The v1 fixture files in the hierarchy directories they come from.
inline void installV1Fixtures(Tree &tree)
{
    const QStringList names = QDir(fixturePath("v1")).entryList(QDir::Files);
    for (const QString &name : names) {
        QString controller = name.section('.', 0, 0);
        tree.mkdir(controller + "/hood/c1");
        tree.copyFixture("v1/" + name, controller + "/hood/c1/" + name);
    }
}

inline void installV2Fixtures(Tree &tree)
{
    tree.mkdir("hood/c1");
    for (const QString &name : QDir(fixturePath("v2")).entryList(QDir::Files)) {
        if (!name.contains(".no-kernel-line"))
            tree.copyFixture("v2/" + name, "hood/c1/" + name);
    }
}

} // namespace cgfixture
