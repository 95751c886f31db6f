// A container's changes (core/image/changes: diffUpper) from hand-made upper and
// lower directories, as `docker diff` prints them: whiteouts are D, a path the lowers
// have is C, a new one A, and an opaque directory (a directory replaced in the upper)
// is C with what the lowers had under it and the upper has not as D.
#include "image/changes.h"
#include "error.h"

#include <QDir>
#include <QFile>
#include <QtTest>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

using namespace hood;
using namespace hood::image;

Q_DECLARE_METATYPE(std::vector<std::string>)

namespace {

// "d/" a directory, "d/.opq" marks d opaque, "w!" a whiteout w, "l->t" a symlink, else a file.
bool make(const QString &root, const std::string &spec)
{
    if (const size_t arrow = spec.find("->"); arrow != std::string::npos) {
        QDir().mkpath(root);
        return symlink(spec.substr(arrow + 2).c_str(), (root.toStdString() + "/" + spec.substr(0, arrow)).c_str()) == 0;
    }
    const QString path = root + "/" + QString::fromStdString(spec);
    if (spec.back() == '/')
        return QDir().mkpath(path);
    if (spec.size() > 5 && spec.compare(spec.size() - 5, 5, "/.opq") == 0) {
        const QByteArray dir = path.left(path.size() - 5).toUtf8();
        return QDir().mkpath(QString::fromUtf8(dir)) && setxattr(dir.constData(), "user.overlay.opaque", "y", 1, 0) == 0;
    }
    QDir().mkpath(QFileInfo(path).path());
    if (spec.back() == '!')
        return mknod(path.left(path.size() - 1).toUtf8().constData(), S_IFCHR | 0000, makedev(0, 0)) == 0;
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write("x") == 1;
}

std::vector<std::string> printed(const std::vector<Change> &changes)
{
    std::vector<std::string> out;
    for (const Change &c : changes)
        out.push_back(std::string(1, c.kind) + " " + c.path);
    return out;
}

} // namespace

class TestChanges : public QObject {
    Q_OBJECT

private slots:
    void diff_data()
    {
        QTest::addColumn<std::vector<std::string>>("lower");
        QTest::addColumn<std::vector<std::string>>("upper");
        QTest::addColumn<std::vector<std::string>>("expected");
        QTest::addRow("added") << std::vector<std::string> {"etc/"} << std::vector<std::string> {"etc/new"}
                               << std::vector<std::string> {"C /etc", "A /etc/new"};
        QTest::addRow("changed") << std::vector<std::string> {"etc/hostname"}
                                 << std::vector<std::string> {"etc/hostname"}
                                 << std::vector<std::string> {"C /etc", "C /etc/hostname"};
        QTest::addRow("deleted") << std::vector<std::string> {"etc/hosts"} << std::vector<std::string> {"etc/hosts!"}
                                 << std::vector<std::string> {"C /etc", "D /etc/hosts"};
        QTest::addRow("deleted-dir") << std::vector<std::string> {"var/cache/a", "var/cache/b"}
                                     << std::vector<std::string> {"var/cache!"}
                                     << std::vector<std::string> {"C /var", "D /var/cache"};
        QTest::addRow("opaque") << std::vector<std::string> {"d/old1", "d/old2", "d/keep"}
                                << std::vector<std::string> {"d/.opq", "d/keep", "d/new"}
                                << std::vector<std::string> {"C /d", "C /d/keep", "A /d/new", "D /d/old1", "D /d/old2"};
        QTest::addRow("opaque-nested") << std::vector<std::string> {"d/sub/a", "d/sub/b", "d/c"}
                                       << std::vector<std::string> {"d/.opq", "d/sub/a"}
                                       << std::vector<std::string> {"C /d", "D /d/c", "C /d/sub", "C /d/sub/a",
                                                                    "D /d/sub/b"};
        // The lower's absolute symlink is not followed to the host's /etc/passwd.
        QTest::addRow("symlink-in-lower") << std::vector<std::string> {"lib->/etc"}
                                          << std::vector<std::string> {"lib/passwd"}
                                          << std::vector<std::string> {"C /lib", "A /lib/passwd"};
        QTest::addRow("opaque-new-dir") << std::vector<std::string> {"etc/"}
                                        << std::vector<std::string> {"etc/d/.opq", "etc/d/x"}
                                        << std::vector<std::string> {"C /etc", "A /etc/d", "A /etc/d/x"};
    }

    void diff()
    {
        QFETCH(std::vector<std::string>, lower);
        QFETCH(std::vector<std::string>, upper);
        QFETCH(std::vector<std::string>, expected);
        QTemporaryDir tmp;
        for (const std::string &s : lower)
            QVERIFY2(make(tmp.path() + "/lower", s), s.c_str());
        for (const std::string &s : upper) {
            if (!make(tmp.path() + "/upper", s) && s.find(".opq") != std::string::npos)
                QSKIP("the temporary directory's file system takes no user.* extended attributes");
            QVERIFY2(QFileInfo(tmp.path() + "/upper/" + QString::fromStdString(s).remove("/.opq").remove('!')).exists(),
                     s.c_str());
        }
        const std::vector<Change> got
            = diffUpper((tmp.path() + "/upper").toStdString(), {(tmp.path() + "/lower").toStdString()});
        QCOMPARE(printed(got), expected);
    }

    // Two lowers: a whiteout in the upper one hides the lower one's file, so an
    // opaque directory above them does not report it deleted a second time.
    void opaqueOverTwoLowers()
    {
        QTemporaryDir tmp;
        for (const char *s : {"bottom/d/a", "bottom/d/b", "top/d/b!", "top/d/c", "upper/d/.opq"})
            QVERIFY2(make(tmp.path(), s), s);
        const std::string t = tmp.path().toStdString();
        QCOMPARE(printed(diffUpper(t + "/upper", {t + "/top", t + "/bottom"})),
                 (std::vector<std::string> {"C /d", "D /d/a", "D /d/c"}));
    }
};

QTEST_GUILESS_MAIN(TestChanges)
#include "tst_changes.moc"
