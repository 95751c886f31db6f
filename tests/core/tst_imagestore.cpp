// The image store (core/image/store, layout): references as Docker normalises them,
// tag and rmi, digest verification naming the blob, hand-made bad layouts, a half
// extraction removed by gc, and a full disk leaving no partial layer.
#include "image/digest.h"
#include "image/layout.h"
#include "image/reference.h"
#include "image/store.h"
#include "error.h"
#include "imagetest.h"
#include "runtime/resources.h"

#include <QDir>
#include <QFile>
#include <QtTest>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace hood;
using namespace hood::image;
using nlohmann::json;

namespace {

QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
}

// An OCI layout with one layer; `tamper` edits it before it is written out.
struct Layout {
    std::string dir;
    std::string layerDigest, configDigest, manifestDigest;
};

std::string putLayoutBlob(const std::string &dir, const std::string &data)
{
    const std::string d = sha256Digest(data);
    writeNewFile(dir + "/blobs/sha256/" + d.substr(7), data, 0644);
    return d;
}

Layout makeLayout(const QString &where, const std::string &platformArch = {}, bool corruptLayer = false,
                  bool dropLayer = false, bool truncateLayer = false)
{
    Layout l;
    l.dir = (where + "/layout").toStdString();
    QDir().mkpath(QString::fromStdString(l.dir + "/blobs/sha256"));
    const std::string tar = (where + "/l.tar").toStdString();
    imagetest::writeTar(tar, {{'f', "hello", "world"}}, "gzip");
    std::string layer = readFile(tar);
    if (truncateLayer) // the digest is of the cut bytes: only the gzip stream says it ends early
        layer.resize(layer.size() / 2);
    l.layerDigest = sha256Digest(layer);
    const std::string diffTar = (where + "/plain.tar").toStdString();
    imagetest::writeTar(diffTar, {{'f', "hello", "world"}});
    if (!dropLayer)
        writeNewFile(l.dir + "/blobs/sha256/" + l.layerDigest.substr(7), corruptLayer ? layer + "x" : layer, 0644);
    json config = {{"architecture", "amd64"}, {"os", "linux"},
                   {"config", {{"Cmd", {"sh"}}}},
                   {"rootfs", {{"type", "layers"}, {"diff_ids", {imagetest::fileDigest(diffTar)}}}}};
    l.configDigest = putLayoutBlob(l.dir, config.dump());
    json manifest = {{"schemaVersion", 2}, {"mediaType", kManifestType},
                     {"config", {{"mediaType", kConfigType}, {"digest", l.configDigest}, {"size", config.dump().size()}}},
                     {"layers", {{{"mediaType", "application/vnd.oci.image.layer.v1.tar+gzip"},
                                  {"digest", l.layerDigest}, {"size", layer.size()}}}}};
    l.manifestDigest = putLayoutBlob(l.dir, manifest.dump());
    json desc = {{"mediaType", kManifestType}, {"digest", l.manifestDigest}, {"size", manifest.dump().size()},
                 {"annotations", {{"org.opencontainers.image.ref.name", "test:1"}}}};
    json index = {{"schemaVersion", 2}, {"manifests", {desc}}};
    if (!platformArch.empty()) {
        json entry = json::object({{"mediaType", kManifestType}, {"digest", l.manifestDigest},
                                   {"size", manifest.dump().size()},
                                   {"platform", {{"os", "linux"}, {"architecture", platformArch}}}});
        json inner = {{"schemaVersion", 2}, {"mediaType", kIndexType}, {"manifests", json::array({entry})}};
        const std::string innerDigest = putLayoutBlob(l.dir, inner.dump());
        index["manifests"][0] = {{"mediaType", kIndexType}, {"digest", innerDigest}, {"size", inner.dump().size()},
                                 {"annotations", {{"org.opencontainers.image.ref.name", "test:1"}}}};
    }
    writeNewFile(l.dir + "/index.json", index.dump(), 0644);
    writeNewFile(l.dir + "/oci-layout", R"({"imageLayoutVersion":"1.0.0"})", 0644);
    return l;
}

} // namespace

class TestImageStore : public QObject {
    Q_OBJECT

private slots:
    void references_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("normal"); // str(), or the error's start
        QTest::addRow("bare") << "busybox" << "busybox:latest";
        QTest::addRow("tag") << "busybox:1.36" << "busybox:1.36";
        QTest::addRow("hub-library") << "docker.io/library/busybox:latest" << "busybox:latest";
        QTest::addRow("hub-user") << "docker.io/me/app" << "me/app:latest";
        QTest::addRow("registry-port") << "localhost:5000/team/app:2" << "localhost:5000/team/app:2";
        QTest::addRow("digest") << "app@sha256:" + QString(64, 'a') << "app@sha256:" + QString(64, 'a');
        QTest::addRow("upper-case") << "BusyBox" << "image reference \"BusyBox\": \"BusyBox\" is not a valid name";
        QTest::addRow("bad-digest") << "app@sha256:12" << "image reference \"app@sha256:12\": \"sha256:12\" is not";
        QTest::addRow("empty") << "" << "image reference is empty";
    }

    void references()
    {
        QFETCH(QString, text);
        QFETCH(QString, normal);
        try {
            QCOMPARE(QString::fromStdString(parseReference(text.toStdString()).str()), normal);
        } catch (const Error &e) {
            QVERIFY2(QString(e.what()).startsWith(normal), e.what());
        }
    }

    void loadTagRmi()
    {
        QTemporaryDir tmp;
        Layout l = makeLayout(tmp.path());
        Store store((tmp.path() + "/store").toStdString());
        LoadResult r = loadImages(store, l.dir);
        QCOMPARE(r.lines, std::vector<std::string> {"Loaded image: test:1"});
        QCOMPARE(r.images.at(0).id, l.configDigest);
        QCOMPARE(r.images.at(0).manifest, l.manifestDigest);
        QCOMPARE(store.resolve("test:1").id, l.configDigest);
        QCOMPARE(store.resolve("docker.io/library/test:1").id, l.configDigest);
        QCOMPARE(store.resolve("test@" + l.manifestDigest).id, l.configDigest);
        QCOMPARE(store.resolve(l.configDigest.substr(7, 8)).id, l.configDigest);
        QVERIFY(!store.find("test")); // test:latest was never given
        {
            Fd lock = store.lock(true);
            store.tag(store.resolve("test:1"), parseReference("other"));
        }
        QCOMPARE(store.resolve("other").names, (std::vector<std::string> {"other:latest", "test:1"}));
        QCOMPARE(QString::fromStdString(readFile(store.layerDirs(store.resolve("other")).at(0) + "/hello")),
                 QString("world"));
        Fd lock = store.lock(true);
        QCOMPARE(store.remove("other"), std::vector<std::string> {"Untagged: other:latest"});
        QVERIFY(store.find("test:1"));
        QCOMPARE(store.remove("test:1"), (std::vector<std::string> {"Untagged: test:1", "Deleted: " + l.configDigest}));
        QVERIFY(store.images().empty());
        QCOMPARE(entries(tmp.path() + "/store/blobs/sha256"), QStringList());
        QCOMPARE(entries(tmp.path() + "/store/layers"), QStringList());
    }

    void badLayouts_data()
    {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<bool>("corrupt");
        QTest::addColumn<bool>("drop");
        QTest::addColumn<bool>("truncate");
        QTest::addColumn<QString>("error");
        QTest::addRow("digest-mismatch") << "" << true << false << false << "digest mismatch, blob sha256:";
        QTest::addRow("missing-blob") << "" << false << true << false << ", which is not in it";
        QTest::addRow("no-amd64") << "arm64" << false << false << false
                                  << "has no manifest for linux/amd64 (it has linux/arm64)";
        QTest::addRow("truncated-gzip") << "" << false << false << true << "truncated";
    }

    void badLayouts()
    {
        QFETCH(QString, arch);
        QFETCH(bool, corrupt);
        QFETCH(bool, drop);
        QFETCH(bool, truncate);
        QFETCH(QString, error);
        QTemporaryDir tmp;
        Layout l = makeLayout(tmp.path(), arch.toStdString(), corrupt, drop, truncate);
        Store store((tmp.path() + "/store").toStdString());
        QString got;
        try {
            loadImages(store, l.dir);
        } catch (const Error &e) {
            got = e.what();
        }
        QVERIFY2(got.contains(error), qPrintable(got));
        if (corrupt || drop || truncate)
            QVERIFY2(got.contains(QString::fromStdString(l.layerDigest)), qPrintable(got)); // names the blob
        QCOMPARE(entries(tmp.path() + "/store/layers"), QStringList());
        QCOMPARE(entries(tmp.path() + "/store/tmp"), QStringList());
        QVERIFY(store.images().empty());
    }

    // A layer blob the store's user alone may change is linked, not copied; one that
    // others may write is copied (the store's blob must not change under it).
    void blobLinkedOrCopied_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<bool>("linked");
        QTest::addRow("owner-only") << 0644 << true;
        QTest::addRow("group-writable") << 0664 << false;
    }

    void blobLinkedOrCopied()
    {
        QFETCH(int, mode);
        QFETCH(bool, linked);
        QTemporaryDir tmp;
        Layout l = makeLayout(tmp.path());
        const std::string source = l.dir + "/blobs/sha256/" + l.layerDigest.substr(7);
        QVERIFY(chmod(source.c_str(), static_cast<mode_t>(mode)) == 0);
        Store store((tmp.path() + "/store").toStdString());
        loadImages(store, l.dir);
        struct stat a {}, b {};
        QVERIFY(stat(source.c_str(), &a) == 0);
        QVERIFY(stat(store.blobPath(l.layerDigest).c_str(), &b) == 0);
        QCOMPARE(a.st_ino == b.st_ino, linked);
        QCOMPARE(readFile(store.blobPath(l.layerDigest)), readFile(source));
    }

    void amd64FromIndex()
    {
        QTemporaryDir tmp;
        Layout l = makeLayout(tmp.path(), "amd64");
        Store store((tmp.path() + "/store").toStdString());
        QCOMPARE(loadImages(store, l.dir).images.at(0).manifest, l.manifestDigest);
    }

    // A SIGKILL during an extraction leaves the temporary directory and its journal;
    // gc replays the journal through the registry's "layer-temp" kind.
    void gcRemovesHalfExtraction()
    {
        QTemporaryDir tmp;
        Store store((tmp.path() + "/store").toStdString());
        Fd lock = store.lock(true);
        const std::string half = store.dir() + "/tmp/layer-99999-1";
        QVERIFY(QDir().mkpath(QString::fromStdString(half + "/diff/usr")));
        writeNewFile(half + "/diff/usr/x", "partial");
        const ResourceType *kind = findResourceType("layer-temp");
        QVERIFY(kind);
        Journal(half + ".journal").record(*kind, half);
        std::vector<std::string> removed = store.gc();
        QCOMPARE(removed.size(), size_t(1));
        QCOMPARE(entries(tmp.path() + "/store/tmp"), QStringList());
    }

    // A store on a full disk: the error names the layer, and nothing stays.
    void fullDisk()
    {
        if (geteuid() != 0)
            QSKIP("mounting a small tmpfs for the store needs root");
        QTemporaryDir tmp;
        const std::string tar = (tmp.path() + "/big.tar").toStdString();
        std::string noise(4 << 20, '\0');
        for (size_t i = 0; i < noise.size(); ++i)
            noise[i] = static_cast<char>((i * 2654435761u) >> 13);
        imagetest::writeTar(tar, {{'f', "big", noise}});
        const std::string storeDir = (tmp.path() + "/store").toStdString();
        QDir().mkpath(QString::fromStdString(storeDir));
        // A mount namespace of its own: the tmpfs never shows on the host.
        const std::string got = imagetest::inChild([&]() -> std::string {
            if (unshare(CLONE_NEWNS) < 0 || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0
                || mount("tmpfs", storeDir.c_str(), "tmpfs", 0, "size=2m") < 0)
                return "SKIP";
            std::string out;
            try {
                Store store(storeDir);
                Fd lock = store.lock(true);
                Fd src(open(tar.c_str(), O_RDONLY | O_CLOEXEC));
                store.addLayer(src.get(), "", "", "layer big.tar");
                out = "OK";
            } catch (const Error &e) {
                out = e.what();
            }
            out += "\n" + entries(QString::fromStdString(storeDir + "/layers")).join(",").toStdString();
            return out + "\n" + entries(QString::fromStdString(storeDir + "/tmp")).join(",").toStdString();
        });
        if (got == "SKIP")
            QSKIP("this machine refused a private mount namespace with a tmpfs");
        const QStringList lines = QString::fromStdString(got).split('\n');
        QCOMPARE(lines.size(), 3);
        QVERIFY2(lines[0].startsWith("layer big.tar: ") && lines[0].contains("no space left on device"),
                 qPrintable(lines[0]));
        QCOMPARE(lines[1], QString()); // no layer
        QCOMPARE(lines[2], QString()); // no temporary directory, no journal
    }
};

QTEST_GUILESS_MAIN(TestImageStore)
#include "tst_imagestore.moc"
