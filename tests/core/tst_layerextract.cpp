// Safe layer extraction (core/image/extract): hand-made hostile tars are refused with
// one sentence naming the layer and the entry, nothing is written outside the
// target, whiteouts become overlayfs form, and gzip/zstd/plain give the same layer.
#include "image/extract.h"
#include "error.h"
#include "imagetest.h"
#include "sys/fd.h"

#include <QDir>
#include <QFile>
#include <QtTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

using namespace hood;
using namespace hood::image;
using imagetest::TarEntry;

Q_DECLARE_METATYPE(std::vector<TarEntry>)

namespace {

struct Outcome {
    std::string error;
    ExtractResult result;
    std::vector<std::string> warnings;
};

// Extracts into <tmp>/target; <tmp>/outside is where an escape would land.
Outcome extract(const QTemporaryDir &tmp, const std::string &tarPath, bool asRoot = true)
{
    const std::string target = (tmp.path() + "/target").toStdString();
    QDir().mkpath(QString::fromStdString(target));
    QDir().mkpath(tmp.path() + "/outside");
    Fd src(open(tarPath.c_str(), O_RDONLY | O_CLOEXEC));
    Fd dir(open(target.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    Outcome out;
    ExtractOptions o;
    o.layer = "layer test";
    o.asRoot = asRoot;
    o.warn = [&](const std::string &w) { out.warnings.push_back(w); };
    try {
        out.result = extractTar(src.get(), -1, dir.get(), o);
    } catch (const Error &e) {
        out.error = e.what();
    }
    return out;
}

QStringList outsideEntries(const QTemporaryDir &tmp)
{
    return QDir(tmp.path() + "/outside").entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System | QDir::Hidden);
}

} // namespace

class TestLayerExtract : public QObject {
    Q_OBJECT

private slots:
    void hostile_data()
    {
        QTest::addColumn<std::vector<TarEntry>>("entries");
        QTest::addColumn<QString>("error");
        const std::string out = "../outside";
        QTest::addRow("dotdot") << std::vector<TarEntry> {{'f', "../outside/evil", "x"}}
                                << "entry \"../outside/evil\" climbs out of the layer with \"..\"";
        QTest::addRow("dotdot-inside") << std::vector<TarEntry> {{'d', "a/", ""}, {'f', "a/../../outside/evil", "x"}}
                                       << "climbs out of the layer";
        QTest::addRow("absolute") << std::vector<TarEntry> {{'f', "/etc/evil", "x"}}
                                  << "entry \"/etc/evil\" has an absolute name";
        QTest::addRow("symlink-then-write")
            << std::vector<TarEntry> {{'l', "link", out}, {'f', "link/evil", "x"}}
            << "entry \"link/evil\" goes through the symlink \"link\"";
        QTest::addRow("symlink-absolute-then-write")
            << std::vector<TarEntry> {{'l', "etc", "/etc"}, {'f', "etc/evil", "x"}}
            << "goes through the symlink \"etc\"";
        QTest::addRow("hardlink-outside") << std::vector<TarEntry> {{'h', "hl", "../outside/secret"}}
                                          << "entry \"hl\" is a hardlink to \"../outside/secret\", outside the layer";
        QTest::addRow("hardlink-absolute") << std::vector<TarEntry> {{'h', "hl", "/etc/passwd"}}
                                           << "is a hardlink to \"/etc/passwd\", outside the layer";
        QTest::addRow("hardlink-through-symlink")
            << std::vector<TarEntry> {{'l', "up", out}, {'h', "hl", "up/secret"}}
            << "goes through the symlink \"up\"";
        QTest::addRow("name-dot") << std::vector<TarEntry> {{'f', ".", "x"}} << "entry \".\" names the layer's root";
        QTest::addRow("name-slash") << std::vector<TarEntry> {{'l', "/", out}} << "entry \"/\" names the layer's root";
        QTest::addRow("name-dot-symlink") << std::vector<TarEntry> {{'l', ".", out}} << "entry \".\" names the layer's root";
        QTest::addRow("name-dot-hardlink") << std::vector<TarEntry> {{'f', "a", "x"}, {'h', ".", "a"}} << "entry \".\" names the layer's root";
        QTest::addRow("name-empty") << std::vector<TarEntry> {{'f', "", "x"}} << "has an empty name";
        QTest::addRow("whiteout-dotdot") << std::vector<TarEntry> {{'f', ".wh..", ""}}
                                         << "entry \".wh..\" whites out \".\"";
        QTest::addRow("whiteout-dotdotdot") << std::vector<TarEntry> {{'f', "a/.wh...", ""}}
                                            << "whites out \"..\"";
        QTest::addRow("whiteout-bare") << std::vector<TarEntry> {{'f', ".wh.", ""}} << "is a bare whiteout";
        QTest::addRow("whiteout-aufs") << std::vector<TarEntry> {{'f', ".wh..wh.plnk", ""}} << "AUFS metadata";
    }

    void hostile()
    {
        QFETCH(std::vector<TarEntry>, entries);
        QFETCH(QString, error);
        QTemporaryDir tmp;
        QFile::copy("/etc/hostname", tmp.path() + "/secret");
        const std::string tar = (tmp.path() + "/layer.tar").toStdString();
        imagetest::writeTar(tar, entries);
        Outcome o = extract(tmp, tar);
        QVERIFY2(QString::fromStdString(o.error).contains(error), o.error.c_str());
        QVERIFY2(QString::fromStdString(o.error).startsWith("layer test: "), o.error.c_str());
        QVERIFY2(o.error.find('\n') == std::string::npos, "one sentence");
        QCOMPARE(outsideEntries(tmp), QStringList());
        QVERIFY(!QFile::exists("/etc/evil"));
    }

    // Entries that look odd but are what real tools write.
    void accepted_data()
    {
        QTest::addColumn<std::vector<TarEntry>>("entries");
        QTest::addColumn<QString>("check"); // a path that must exist afterwards
        QTest::addRow("dot-root-dir") << std::vector<TarEntry> {{'d', ".", ""}, {'f', "a", "x"}} << "a"; // umoci
        QTest::addRow("dot-slash-root") << std::vector<TarEntry> {{'d', "./", ""}, {'f', "./a", "x"}} << "a";
        QTest::addRow("missing-parents") << std::vector<TarEntry> {{'f', "x/y/z", "x"}} << "x/y/z";
        QTest::addRow("symlink-out-not-followed") << std::vector<TarEntry> {{'l', "l", "/etc/passwd"}} << "l";
        QTest::addRow("hardlink-inside") << std::vector<TarEntry> {{'f', "a", "x"}, {'h', "b", "a"}} << "b";
        QTest::addRow("file-replaces-symlink")
            << std::vector<TarEntry> {{'l', "f", "../outside/x"}, {'f', "f", "data"}} << "f";
    }

    void accepted()
    {
        QFETCH(std::vector<TarEntry>, entries);
        QFETCH(QString, check);
        QTemporaryDir tmp;
        const std::string tar = (tmp.path() + "/layer.tar").toStdString();
        imagetest::writeTar(tar, entries);
        Outcome o = extract(tmp, tar);
        QVERIFY2(o.error.empty(), o.error.c_str());
        struct stat st {};
        QVERIFY(lstat((tmp.path() + "/target/" + check).toUtf8().constData(), &st) == 0);
        QCOMPARE(outsideEntries(tmp), QStringList());
    }

    void whiteouts()
    {
        if (geteuid() != 0)
            QSKIP("trusted.overlay.opaque can only be set by root (run the unit tests as root)");
        QTemporaryDir tmp;
        const std::string tar = (tmp.path() + "/layer.tar").toStdString();
        imagetest::writeTar(tar, {{'f', "etc/.wh.hosts", ""}, {'d', "opaque/", ""}, {'f', "opaque/.wh..wh..opq", ""}});
        Outcome o = extract(tmp, tar);
        QVERIFY2(o.error.empty(), o.error.c_str());
        struct stat st {};
        QVERIFY(lstat((tmp.path() + "/target/etc/hosts").toUtf8().constData(), &st) == 0);
        QVERIFY(S_ISCHR(st.st_mode));
        QCOMPARE(st.st_rdev, makedev(0, 0));
        QVERIFY(!QFile::exists(tmp.path() + "/target/etc/.wh.hosts"));
        char v[4] = {};
        QCOMPARE(getxattr((tmp.path() + "/target/opaque").toUtf8().constData(), "trusted.overlay.opaque", v, sizeof v),
                 ssize_t(1));
        QCOMPARE(v[0], 'y');
        QVERIFY(!QFile::exists(tmp.path() + "/target/opaque/.wh..wh..opq"));
    }

    void deviceNodesRootless()
    {
        QTemporaryDir tmp;
        const std::string tar = (tmp.path() + "/layer.tar").toStdString();
        imagetest::writeTar(tar, {{'c', "dev/null2", ""}, {'f', "a", "x"}});
        Outcome o = extract(tmp, tar, false);
        QVERIFY2(o.error.empty(), o.error.c_str());
        QCOMPARE(o.warnings.size(), size_t(1));
        QVERIFY(QString::fromStdString(o.warnings[0]).contains("device node \"dev/null2\" skipped"));
        QVERIFY(!QFile::exists(tmp.path() + "/target/dev/null2"));
        QVERIFY(QFile::exists(tmp.path() + "/target/a"));
    }

    // The diff_id is the plain tar's digest whatever the compression; the blob
    // digest is the digest of the bytes read.
    void compressions_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addRow("plain") << "";
        QTest::addRow("gzip") << "gzip";
        QTest::addRow("zstd") << "zstd";
    }

    void compressions()
    {
        QFETCH(QString, filter);
        QTemporaryDir tmp;
        const std::vector<TarEntry> entries = {{'d', "d/", ""}, {'f', "d/f", std::string(100000, 'z')}};
        const std::string plain = (tmp.path() + "/plain.tar").toStdString();
        const std::string packed = (tmp.path() + "/packed").toStdString();
        imagetest::writeTar(plain, entries);
        imagetest::writeTar(packed, entries, filter.toStdString());
        Outcome o = extract(tmp, packed);
        QVERIFY2(o.error.empty(), o.error.c_str());
        QCOMPARE(o.result.diffId, imagetest::fileDigest(plain));
        QCOMPARE(o.result.blobDigest, imagetest::fileDigest(packed));
        QCOMPARE(o.result.size, uint64_t(100000));
        QCOMPARE(QFile(tmp.path() + "/target/d/f").size(), qint64(100000));
    }

    // A directory keeps the mtime its entry gives, though files were written in it
    // after it (and a whiteout made in it): the times are set at the end.
    void directoryMtimes_data()
    {
        QTest::addColumn<std::vector<TarEntry>>("entries");
        QTest::addColumn<QString>("dir");
        QTest::addRow("files-after") << std::vector<TarEntry> {{'d', "d/", ""}, {'f', "d/a", "x"}, {'f', "d/b", "y"}}
                                     << "d";
        QTest::addRow("nested") << std::vector<TarEntry> {{'d', "d/", ""}, {'d', "d/e/", ""}, {'f', "d/e/a", "x"}}
                                << "d/e";
        QTest::addRow("parent-of-nested") << std::vector<TarEntry> {{'d', "d/", ""}, {'d', "d/e/", ""}, {'f', "d/e/a", "x"}}
                                          << "d";
        QTest::addRow("whiteout-in-it") << std::vector<TarEntry> {{'d', "d/", ""}, {'f', "d/.wh.gone", ""}} << "d";
    }

    void directoryMtimes()
    {
        QFETCH(std::vector<TarEntry>, entries);
        QFETCH(QString, dir);
        QTemporaryDir tmp;
        const std::string tar = (tmp.path() + "/layer.tar").toStdString();
        imagetest::writeTar(tar, entries);
        Outcome o = extract(tmp, tar, geteuid() == 0);
        QVERIFY2(o.error.empty(), o.error.c_str());
        struct stat st {};
        QVERIFY(lstat((tmp.path() + "/target/" + dir).toUtf8().constData(), &st) == 0);
        QCOMPARE(st.st_mtime, time_t(1700000000)); // imagetest::writeTar's mtime
    }

    // A directory replaced by a symlink later in the tar: its recorded mtime is not
    // set through the link (the target outside keeps its own).
    void directoryMtimeNotThroughSymlink()
    {
        QTemporaryDir tmp;
        const std::string out = (tmp.path() + "/outside").toStdString();
        const std::string tar = (tmp.path() + "/layer.tar").toStdString();
        imagetest::writeTar(tar, {{'d', "d/", ""}, {'l', "d", out}});
        QDir().mkpath(QString::fromStdString(out));
        struct stat before {};
        QVERIFY(stat(out.c_str(), &before) == 0);
        Outcome o = extract(tmp, tar);
        QVERIFY2(o.error.empty(), o.error.c_str());
        struct stat after {};
        QVERIFY(stat(out.c_str(), &after) == 0);
        QCOMPARE(after.st_mtime, before.st_mtime);
        QVERIFY(after.st_mtime != time_t(1700000000));
    }

    // Extended attributes of files and directories are kept; overlayfs's own are
    // never taken from a layer.
    void xattrs_data()
    {
        QTest::addColumn<char>("type");
        QTest::addRow("file") << 'f';
        QTest::addRow("directory") << 'd';
    }

    void xattrs()
    {
        QFETCH(char, type);
        QTemporaryDir tmp;
        const std::string tar = (tmp.path() + "/layer.tar").toStdString();
        TarEntry e {type, type == 'd' ? "x/" : "x", "data", {{"user.hood.test", "kept"}, {"user.overlay.opaque", "y"}}};
        imagetest::writeTar(tar, {e});
        Outcome o = extract(tmp, tar, geteuid() == 0);
        QVERIFY2(o.error.empty(), o.error.c_str());
        const QByteArray path = (tmp.path() + "/target/x").toUtf8();
        char v[16] = {};
        const ssize_t n = getxattr(path.constData(), "user.hood.test", v, sizeof v);
        if (n < 0 && errno == ENOTSUP)
            QSKIP("the file system of the temporary directory has no user.* extended attributes");
        QCOMPARE(std::string(v, static_cast<size_t>(std::max<ssize_t>(n, 0))), std::string("kept"));
        QCOMPARE(getxattr(path.constData(), "user.overlay.opaque", v, sizeof v), ssize_t(-1));
    }

    // Without root, a trusted.* or security.* attribute cannot be set: skipped, with
    // one warning naming it, and the layer is still unpacked.
    void xattrsRootless()
    {
        QTemporaryDir tmp;
        const std::string tar = (tmp.path() + "/layer.tar").toStdString();
        imagetest::writeTar(tar, {{'f', "ping", "x", {{"security.capability", std::string("\x01\0\0\x02", 4)}}},
                                  {'f', "b", "y", {{"trusted.hood", "z"}}}});
        Outcome o = extract(tmp, tar, false);
        QVERIFY2(o.error.empty(), o.error.c_str());
        QCOMPARE(o.warnings.size(), size_t(1));
        QVERIFY2(QString::fromStdString(o.warnings[0]).contains("extended attribute security.capability of \"ping\" skipped"),
                 o.warnings[0].c_str());
        QVERIFY(QFile::exists(tmp.path() + "/target/b"));
    }

    void truncatedGzip()
    {
        QTemporaryDir tmp;
        const std::string packed = (tmp.path() + "/packed").toStdString();
        std::string noise;
        for (int i = 0; i < 200000; ++i)
            noise += static_cast<char>((i * 7919) % 251);
        imagetest::writeTar(packed, {{'f', "big", noise}}, "gzip");
        const std::string data = readFile(packed);
        QFile cut(QString::fromStdString(packed));
        QVERIFY(cut.resize(qint64(data.size() / 2)));
        Outcome o = extract(tmp, packed);
        QVERIFY2(QString::fromStdString(o.error).contains("truncated"), o.error.c_str());
        QVERIFY2(QString::fromStdString(o.error).startsWith("layer test: "), o.error.c_str());
    }
};

QTEST_GUILESS_MAIN(TestLayerExtract)
#include "tst_layerextract.moc"
