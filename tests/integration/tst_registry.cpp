// The registry client (core/image/registry.h) against Debian's docker-registry,
// started here on 127.0.0.1 with a free port, a config and a storage directory
// of its own, and stopped by pid. Hood pushes what skopeo then inspects, pulls
// what skopeo pushed from an OCI layout umoci made, resolves an OCI index to
// linux/amd64, resumes a partial blob, and with htpasswd auth on is refused
// without credentials in one sentence.
#include "testregistry.h"

#include "image/registry.h"
#include "image/digest.h"
#include "error.h"
#include "sys/fd.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace hood;
using hood::image::sha256Digest;

using namespace testregistry;

namespace {

QByteArray run(const QString &program, const QStringList &args, int *exitCode = nullptr)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    p.waitForFinished(120000);
    if (exitCode)
        *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return p.readAll();
}

// Blobs as files in a directory, named by digest: the store's role in the test.
class DirBlobs : public BlobSink, public BlobSource {
public:
    explicit DirBlobs(QString dir) : m_dir(std::move(dir)) { QDir().mkpath(m_dir); }
    std::string path(const std::string &digest) const { return (m_dir + "/").toStdString() + digest.substr(7); }
    bool has(const std::string &digest) override { return QFile::exists(QString::fromStdString(path(digest))); }
    std::string partialPath(const std::string &digest) override { return path(digest) + ".partial"; }
    void commit(const std::string &digest, const std::string &p, const std::string &) override
    {
        QVERIFY(::rename(p.c_str(), path(digest).c_str()) == 0);
        committed.push_back(digest);
    }
    std::string blobPath(const std::string &digest) override { return path(digest); }
    std::string put(const QByteArray &bytes)
    {
        std::string digest = sha256Digest(std::string_view(bytes.constData(), size_t(bytes.size())));
        QFile f(QString::fromStdString(path(digest)));
        if (f.open(QIODevice::WriteOnly))
            f.write(bytes);
        return digest;
    }
    std::vector<std::string> committed;

private:
    QString m_dir;
};

struct TestImage {
    std::string manifest;
    std::string manifestDigest;
    std::string config;
    std::string layer;
};

// A real tar layer, a config for arch, and an OCI manifest, as blobs in dir.
TestImage makeImage(DirBlobs &blobs, const QString &work, const QString &arch, const QByteArray &content)
{
    QDir().mkpath(work + "/rootfs");
    QFile f(work + "/rootfs/hello.txt");
    f.open(QIODevice::WriteOnly);
    f.write(content);
    f.close();
    run("tar", {"-C", work + "/rootfs", "-cf", work + "/layer.tar", "hello.txt"});
    QFile tar(work + "/layer.tar");
    tar.open(QIODevice::ReadOnly);
    QByteArray layer = tar.readAll();
    TestImage img;
    img.layer = blobs.put(layer);
    nlohmann::json config = {{"architecture", arch.toStdString()},
                             {"os", "linux"},
                             {"config", {{"Cmd", {"/bin/sh"}}}},
                             {"rootfs", {{"type", "layers"}, {"diff_ids", {img.layer}}}}};
    std::string configText = config.dump();
    img.config = blobs.put(QByteArray::fromStdString(configText));
    nlohmann::json manifest = {
        {"schemaVersion", 2},
        {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
        {"config", {{"mediaType", "application/vnd.oci.image.config.v1+json"}, {"digest", img.config}, {"size", configText.size()}}},
        {"layers", {{{"mediaType", "application/vnd.oci.image.layer.v1.tar"}, {"digest", img.layer}, {"size", layer.size()}}}}};
    img.manifest = manifest.dump();
    img.manifestDigest = sha256Digest(img.manifest);
    return img;
}

nlohmann::json skopeoInspect(const QString &ref, const QStringList &extra = {}, int *rc = nullptr)
{
    QStringList args = {"inspect", "--tls-verify=false"};
    args << extra << "docker://" + ref;
    int code = 0;
    QByteArray out = run("skopeo", args, &code);
    if (rc)
        *rc = code;
    nlohmann::json j = nlohmann::json::parse(out.toStdString(), nullptr, false);
    if (j.is_discarded())
        qWarning("skopeo said: %s", out.constData());
    return j;
}

QString errorOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const Error &e) {
        return QString::fromStdString(e.what());
    }
    return QStringLiteral("(accepted)");
}

} // namespace

class TestRegistryClient : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void references_data();
    void references();
    void credentialsFile();
    void challenge();
    void pushThenSkopeoInspects();
    void pullWhatSkopeoPushed();
    void indexResolvesToAmd64();
    void resumeAndVerify();
    void basicAuth();
    void bearerToken();

private:
    QTemporaryDir m_dir;
};

void TestRegistryClient::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestRegistryClient::references_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::addRow("short") << "busybox" << "docker.io/library/busybox:latest";
    QTest::addRow("tag") << "alpine:3.19" << "docker.io/library/alpine:3.19";
    QTest::addRow("user") << "user/app" << "docker.io/user/app:latest";
    QTest::addRow("host-port") << "127.0.0.1:5000/a/b:t" << "127.0.0.1:5000/a/b:t";
    QTest::addRow("localhost") << "localhost/x" << "localhost/x:latest";
    QTest::addRow("digest") << "quay.io/a/b@sha256:" + QString(64, 'a') << "quay.io/a/b@sha256:" + QString(64, 'a');
    QTest::addRow("bad-digest") << "a@sha256:xyz" << "error: invalid reference a@sha256:xyz: sha256:xyz is not a sha256 digest";
    QTest::addRow("upper-case") << "Busybox" << "error: invalid reference Busybox: the repository name must be lower-case letters, digits and . _ - /";
}

void TestRegistryClient::references()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QString got;
    try {
        got = QString::fromStdString(RegistryRef::parse(text.toStdString()).str());
    } catch (const Error &e) {
        got = "error: " + QString::fromStdString(e.what());
    }
    QCOMPARE(got, expected);
}

void TestRegistryClient::credentialsFile()
{
    const std::string dir = (m_dir.path() + "/creds").toStdString();
    QVERIFY(!loadCredentials(dir, "r.example:5000"));
    storeCredentials(dir, "r.example:5000", {"alice", "s3cret:x"});
    storeCredentials(dir, "docker.io", {"bob", "pw"});
    QFile f(QString::fromStdString(dir + "/config.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    nlohmann::json j = nlohmann::json::parse(f.readAll().toStdString());
    // Docker's own format: base64 of user:password under auths.<host>.auth.
    QCOMPARE(QString::fromStdString(j["auths"]["r.example:5000"]["auth"].get<std::string>()),
             QString(QByteArray("alice:s3cret:x").toBase64()));
    QVERIFY(j["auths"].contains("https://index.docker.io/v1/"));
    QCOMPARE(QFileInfo(f).permissions() & (QFile::ReadGroup | QFile::ReadOther), QFileDevice::Permissions());
    auto c = loadCredentials(dir, "r.example:5000");
    QVERIFY(c);
    QCOMPARE(QString::fromStdString(c->username), QString("alice"));
    QCOMPARE(QString::fromStdString(c->password), QString("s3cret:x"));
    QVERIFY(removeCredentials(dir, "r.example:5000"));
    QVERIFY(!loadCredentials(dir, "r.example:5000"));
    QVERIFY(loadCredentials(dir, "docker.io"));
}

void TestRegistryClient::challenge()
{
    auto c = parseChallenge("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"");
    QCOMPARE(QString::fromStdString(c["scheme"]), QString("bearer"));
    QCOMPARE(QString::fromStdString(c["realm"]), QString("https://auth.docker.io/token"));
    QCOMPARE(QString::fromStdString(c["service"]), QString("registry.docker.io"));
    QCOMPARE(QString::fromStdString(c["scope"]), QString("repository:library/busybox:pull"));
    auto b = parseChallenge("Basic realm=\"hood-test\"");
    QCOMPARE(QString::fromStdString(b["scheme"]), QString("basic"));
    QCOMPARE(QString::fromStdString(b["realm"]), QString("hood-test"));
}

void TestRegistryClient::pushThenSkopeoInspects()
{
    if (!QFile::exists(kRegistry) || QStandardPaths::findExecutable("skopeo").isEmpty())
        QSKIP("needs /usr/bin/docker-registry and skopeo (Debian packages docker-registry and skopeo)");
    QDir().mkpath(m_dir.path() + "/reg1");
    TestRegistry registry;
    QVERIFY(registry.start(m_dir.path() + "/reg1"));
    DirBlobs blobs(m_dir.path() + "/push-blobs");
    TestImage img = makeImage(blobs, m_dir.path() + "/img1", "amd64", "hello from hood\n");
    std::vector<TransferProgress> progress;
    RegistryOptions opts;
    opts.tlsVerify = false;
    opts.progress = [&](const TransferProgress &p) { progress.push_back(p); };
    RegistryClient client(opts);
    client.ping(registry.host().toStdString());
    RegistryRef ref = RegistryRef::parse((registry.host() + "/hood/test:v1").toStdString());
    QVERIFY(!client.hasBlob(ref, img.layer));
    std::string digest = client.push(ref, "application/vnd.oci.image.manifest.v1+json", img.manifest, blobs);
    QCOMPARE(digest, img.manifestDigest);
    QVERIFY(client.hasBlob(ref, img.layer));
    QVERIFY(!progress.empty());

    nlohmann::json j = skopeoInspect(registry.host() + "/hood/test:v1");
    QVERIFY(j.is_object());
    QCOMPARE(QString::fromStdString(j["Digest"].get<std::string>()), QString::fromStdString(img.manifestDigest));
    QCOMPARE(QString::fromStdString(j["Layers"][0].get<std::string>()), QString::fromStdString(img.layer));
    QCOMPARE(QString::fromStdString(j["Architecture"].get<std::string>()), QString("amd64"));

    // Chunked upload to a second repository, then a mount into a third: the
    // same digests, read back by skopeo.
    RegistryOptions chunked = opts;
    chunked.chunkSize = 1000;
    RegistryClient chunker(chunked);
    RegistryRef other = RegistryRef::parse((registry.host() + "/hood/chunked:v1").toStdString());
    QCOMPARE(chunker.push(other, "application/vnd.oci.image.manifest.v1+json", img.manifest, blobs), img.manifestDigest);
    RegistryRef third = RegistryRef::parse((registry.host() + "/hood/mounted:v1").toStdString());
    QVERIFY(client.mountBlob(third, img.layer, "hood/test"));
    QVERIFY(client.hasBlob(third, img.layer));
    QCOMPARE(client.push(third, "application/vnd.oci.image.manifest.v1+json", img.manifest, blobs, "hood/test"),
             img.manifestDigest);
    QCOMPARE(QString::fromStdString(skopeoInspect(registry.host() + "/hood/chunked:v1")["Digest"].get<std::string>()),
             QString::fromStdString(img.manifestDigest));
    QCOMPARE(QString::fromStdString(skopeoInspect(registry.host() + "/hood/mounted:v1")["Digest"].get<std::string>()),
             QString::fromStdString(img.manifestDigest));
    // A push and pull round trip: the same manifest digest.
    DirBlobs back(m_dir.path() + "/roundtrip");
    PulledImage pulled = client.pull(ref, back);
    QCOMPARE(pulled.manifest.digest, img.manifestDigest);
    QCOMPARE(back.committed.size(), size_t(2));
}

void TestRegistryClient::pullWhatSkopeoPushed()
{
    if (!QFile::exists(kRegistry) || QStandardPaths::findExecutable("skopeo").isEmpty()
        || QStandardPaths::findExecutable("umoci").isEmpty())
        QSKIP("needs docker-registry, skopeo and umoci (Debian packages of those names)");
    QDir().mkpath(m_dir.path() + "/reg2");
    TestRegistry registry;
    QVERIFY(registry.start(m_dir.path() + "/reg2"));
    const QString layout = m_dir.path() + "/oci";
    int rc = 0;
    QByteArray out = run("umoci", {"init", "--layout", layout}, &rc);
    QVERIFY2(rc == 0, out.constData());
    out = run("umoci", {"new", "--image", layout + ":v1"}, &rc);
    QVERIFY2(rc == 0, out.constData());
    QFile f(m_dir.path() + "/payload.txt");
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(200000, 'x'));
    f.close();
    out = run("umoci", {"insert", "--image", layout + ":v1", m_dir.path() + "/payload.txt", "/payload.txt"}, &rc);
    QVERIFY2(rc == 0, out.constData());
    const QString target = registry.host() + "/skopeo/pushed:v1";
    out = run("skopeo", {"copy", "--dest-tls-verify=false", "oci:" + layout + ":v1", "docker://" + target}, &rc);
    QVERIFY2(rc == 0, out.constData());
    nlohmann::json inspected = skopeoInspect(target);
    QVERIFY(inspected.is_object());

    RegistryOptions opts;
    opts.tlsVerify = false;
    RegistryClient client(opts);
    DirBlobs blobs(m_dir.path() + "/pulled");
    PulledImage img = client.pull(RegistryRef::parse(target.toStdString()), blobs);
    QCOMPARE(QString::fromStdString(img.manifest.digest), QString::fromStdString(inspected["Digest"].get<std::string>()));
    QCOMPARE(img.layerDigests.size(), inspected["Layers"].size());
    for (const std::string &d : img.layerDigests)
        QVERIFY(blobs.has(d));
    QVERIFY(blobs.has(img.configDigest));
    // By digest too, and a second pull finds every blob already here.
    RegistryRef byDigest = RegistryRef::parse((registry.host() + "/skopeo/pushed@").toStdString() + img.manifest.digest);
    size_t before = blobs.committed.size();
    QCOMPARE(client.pull(byDigest, blobs).manifest.digest, img.manifest.digest);
    QCOMPARE(blobs.committed.size(), before);
    // A tag that is not there: one sentence with the registry's code.
    QString err = errorOf([&] { client.manifest(RegistryRef::parse((registry.host() + "/skopeo/pushed:nope").toStdString())); });
    QVERIFY2(err.contains("/v2/skopeo/pushed/manifests/nope: HTTP 404 MANIFEST_UNKNOWN"), qPrintable(err));
}

void TestRegistryClient::indexResolvesToAmd64()
{
    if (!QFile::exists(kRegistry))
        QSKIP("needs /usr/bin/docker-registry (Debian package docker-registry)");
    QDir().mkpath(m_dir.path() + "/reg3");
    TestRegistry registry;
    QVERIFY(registry.start(m_dir.path() + "/reg3"));
    DirBlobs blobs(m_dir.path() + "/index-blobs");
    TestImage arm = makeImage(blobs, m_dir.path() + "/arm", "arm64", "arm\n");
    TestImage amd = makeImage(blobs, m_dir.path() + "/amd", "amd64", "amd\n");
    RegistryOptions opts;
    opts.tlsVerify = false;
    RegistryClient client(opts);
    const std::string repo = registry.host().toStdString() + "/multi/app";
    client.push(RegistryRef::parse(repo + "@" + arm.manifestDigest), "application/vnd.oci.image.manifest.v1+json", arm.manifest, blobs);
    client.push(RegistryRef::parse(repo + "@" + amd.manifestDigest), "application/vnd.oci.image.manifest.v1+json", amd.manifest, blobs);
    auto entry = [](const TestImage &i, const char *arch) {
        return nlohmann::json{{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                              {"digest", i.manifestDigest},
                              {"size", i.manifest.size()},
                              {"platform", {{"os", "linux"}, {"architecture", arch}}}};
    };
    nlohmann::json index = {{"schemaVersion", 2},
                            {"mediaType", "application/vnd.oci.image.index.v1+json"},
                            {"manifests", {entry(arm, "arm64"), entry(amd, "amd64")}}};
    client.putManifest(RegistryRef::parse(repo + ":v1"), "application/vnd.oci.image.index.v1+json", index.dump());
    DirBlobs pulledBlobs(m_dir.path() + "/index-pulled");
    PulledImage img = client.pull(RegistryRef::parse(repo + ":v1"), pulledBlobs);
    QVERIFY(img.index);
    QCOMPARE(img.manifest.digest, amd.manifestDigest);
    QCOMPARE(img.configDigest, amd.config);
    QVERIFY(!pulledBlobs.has(arm.layer));
    // No entry for the platform asked for: one sentence listing what there is.
    RegistryOptions s390 = opts;
    s390.architecture = "s390x";
    RegistryClient other(s390);
    QString err = errorOf([&] { other.manifest(RegistryRef::parse(repo + ":v1")); });
    QCOMPARE(err, QString::fromStdString(repo + ":v1: no image for linux/s390x in the index (it has linux/arm64, linux/amd64)"));
}

void TestRegistryClient::resumeAndVerify()
{
    if (!QFile::exists(kRegistry))
        QSKIP("needs /usr/bin/docker-registry (Debian package docker-registry)");
    QDir().mkpath(m_dir.path() + "/reg4");
    TestRegistry registry;
    QVERIFY(registry.start(m_dir.path() + "/reg4"));
    DirBlobs blobs(m_dir.path() + "/resume-src");
    QByteArray big(300000, '\0');
    for (int i = 0; i < big.size(); ++i)
        big[i] = char(i * 7 % 251);
    TestImage img = makeImage(blobs, m_dir.path() + "/resume-img", "amd64", big);
    RegistryOptions opts;
    opts.tlsVerify = false;
    RegistryClient client(opts);
    RegistryRef ref = RegistryRef::parse((registry.host() + "/r/big:v1").toStdString());
    client.push(ref, "application/vnd.oci.image.manifest.v1+json", img.manifest, blobs);
    QFile src(QString::fromStdString(blobs.path(img.layer)));
    QVERIFY(src.open(QIODevice::ReadOnly));
    const QByteArray layer = src.readAll();

    DirBlobs dst(m_dir.path() + "/resume-dst");
    auto writePartial = [&](const QByteArray &bytes) {
        QFile p(QString::fromStdString(dst.partialPath(img.layer)));
        QVERIFY(p.open(QIODevice::WriteOnly | QIODevice::Truncate));
        p.write(bytes);
    };
    // A wrong first half: only a Range request keeps it, and then the digest
    // check refuses the blob and drops the partial file.
    QByteArray wrong = layer.left(layer.size() / 2);
    wrong[10] = char(wrong[10] ^ 1);
    writePartial(wrong);
    QString err = errorOf([&] { client.fetchBlob(ref, img.layer, dst, "layer 1/1"); });
    QVERIFY2(err.startsWith("layer 1/1: the registry sent data whose digest is sha256:"), qPrintable(err));
    QVERIFY(!QFile::exists(QString::fromStdString(dst.partialPath(img.layer))));
    QVERIFY(!dst.has(img.layer));
    // The right first half: the rest is fetched and the blob is whole.
    writePartial(layer.left(layer.size() / 2));
    client.fetchBlob(ref, img.layer, dst, "layer 1/1");
    QFile got(QString::fromStdString(dst.path(img.layer)));
    QVERIFY(got.open(QIODevice::ReadOnly));
    QCOMPARE(got.readAll(), layer);
}

void TestRegistryClient::basicAuth()
{
    if (!QFile::exists(kRegistry))
        QSKIP("needs /usr/bin/docker-registry (Debian package docker-registry)");
    // A bcrypt entry: htpasswd (apache2-utils) is not installed, Python's crypt makes the same.
    int rc = 0;
    QByteArray hash = run("python3", {"-W", "ignore", "-c",
                                      "import crypt; print(crypt.crypt('hoodpw', crypt.mksalt(crypt.METHOD_BLOWFISH)))"}, &rc).trimmed();
    if (rc != 0 || !hash.startsWith("$2"))
        QSKIP("needs python3's crypt module with bcrypt to write the htpasswd file");
    const QString dir = m_dir.path() + "/reg5";
    QDir().mkpath(dir);
    QFile pw(dir + "/htpasswd");
    QVERIFY(pw.open(QIODevice::WriteOnly));
    pw.write("hood:" + hash + "\n");
    pw.close();
    TestRegistry registry;
    QVERIFY(registry.start(dir, dir + "/htpasswd"));
    DirBlobs blobs(m_dir.path() + "/auth-blobs");
    TestImage img = makeImage(blobs, m_dir.path() + "/auth-img", "amd64", "secret\n");
    const std::string host = registry.host().toStdString();
    RegistryRef ref = RegistryRef::parse(host + "/private/app:v1");

    RegistryOptions anon;
    anon.tlsVerify = false;
    anon.configDir = (m_dir.path() + "/auth-none").toStdString();
    RegistryClient nobody(anon);
    DirBlobs none(m_dir.path() + "/auth-pull-none");
    QString err = errorOf([&] { nobody.pull(ref, none); });
    QCOMPARE(err, QString::fromStdString("GET http://" + host + "/v2/private/app/manifests/v1: the registry requires credentials "
                                         "(HTTP 401 UNAUTHORIZED (authentication required)); log in with hoodctl login " + host));

    RegistryOptions wrong = anon;
    wrong.credentials = RegistryCredentials{"hood", "nope"};
    RegistryClient badUser(wrong);
    err = errorOf([&] { badUser.ping(host); });
    QVERIFY2(err.contains("the registry refused the credentials of hood"), qPrintable(err));

    // `hoodctl login`: check, then store as Docker does; the client and skopeo
    // (--authfile) both read it.
    RegistryOptions logged = anon;
    logged.configDir = (m_dir.path() + "/auth-config").toStdString();
    RegistryClient login(logged);
    login.checkLogin(host, {"hood", "hoodpw"});
    storeCredentials(logged.configDir, host, {"hood", "hoodpw"});
    RegistryClient client(logged);
    QCOMPARE(client.push(ref, "application/vnd.oci.image.manifest.v1+json", img.manifest, blobs), img.manifestDigest);
    DirBlobs pulled(m_dir.path() + "/auth-pulled");
    QCOMPARE(client.pull(ref, pulled).manifest.digest, img.manifestDigest);
    if (!QStandardPaths::findExecutable("skopeo").isEmpty()) {
        nlohmann::json j = skopeoInspect(registry.host() + "/private/app:v1",
                                         {"--authfile", QString::fromStdString(logged.configDir + "/config.json")});
        QVERIFY(j.is_object());
        QCOMPARE(QString::fromStdString(j["Digest"].get<std::string>()), QString::fromStdString(img.manifestDigest));
    }
}

// A registry that wants Docker's token auth, in a few lines of Python: /v2/
// answers 401 with a Bearer challenge, /token hands out "anon" or, for the
// right basic credentials, "user" (suffixed -scoped when asked with a repository
// scope); library/public takes either, private/app only "user".
const char *kTokenServer = R"PY(
import base64, http.server, json, sys
port = int(sys.argv[1])
MANIFEST = b'{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"digest":"sha256:' + b'a'*64 + b'"},"layers":[]}'
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def reply(self, code, body=b'', headers={}):
        self.send_response(code)
        for k, v in headers.items(): self.send_header(k, v)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        auth = self.headers.get('Authorization', '')
        if self.path.startswith('/token'):
            if 'service=fake' not in self.path:
                return self.reply(400, b'{"errors":[{"code":"BAD","message":"service expected"}]}')
            scoped = '-scoped' if 'scope=repository%3A' in self.path else ''
            tok = 'anon'
            if auth.startswith('Basic '):
                if base64.b64decode(auth[6:]) != b'tok:pw':
                    return self.reply(401, b'{"errors":[{"code":"UNAUTHORIZED","message":"bad password"}]}')
                tok = 'user'
            return self.reply(200, json.dumps({'token': tok + scoped}).encode())
        repo = self.path.split('/manifests/')[0][4:]
        # A manifest needs a token asked for with the challenge's scope; /v2/ any token.
        need = '-scoped' if '/manifests/' in self.path else ''
        ok = auth in ('Bearer user' + need, 'Bearer user-scoped') or (auth in ('Bearer anon' + need, 'Bearer anon-scoped') and repo != 'private/app')
        if not ok:
            scope = 'repository:%s:pull' % repo if '/manifests/' in self.path else ''
            ch = 'Bearer realm="http://127.0.0.1:%d/token",service="fake"' % port
            if scope: ch += ',scope="%s"' % scope
            return self.reply(401, b'{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}', {'WWW-Authenticate': ch})
        if self.path == '/v2/':
            return self.reply(200, b'{}')
        return self.reply(200, MANIFEST, {'Content-Type': 'application/vnd.oci.image.manifest.v1+json'})
http.server.HTTPServer(('127.0.0.1', port), H).serve_forever()
)PY";

void TestRegistryClient::bearerToken()
{
    if (QStandardPaths::findExecutable("python3").isEmpty())
        QSKIP("needs python3 for the test's token server");
    const QString script = m_dir.path() + "/tokenserver.py";
    QFile f(script);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(kTokenServer);
    f.close();
    const int port = freePort();
    QProcess server;
    server.start("python3", {script, QString::number(port)});
    QVERIFY(server.waitForStarted(5000));
    for (int i = 0; i < 100 && !canConnect(port); ++i)
        QThread::msleep(50);
    QVERIFY(canConnect(port));
    const std::string host = "127.0.0.1:" + std::to_string(port);
    RegistryOptions opts;
    opts.tlsVerify = false;
    RegistryClient anonymous(opts);
    // An anonymous token for a public repository, asked for with the challenge's scope.
    RegistryManifest m = anonymous.manifest(RegistryRef::parse(host + "/library/public:v1"));
    QVERIFY(QString::fromStdString(m.body).contains("schemaVersion"));
    QCOMPARE(QString::fromStdString(m.mediaType), QString("application/vnd.oci.image.manifest.v1+json"));
    // A private one: the anonymous token is not enough, one sentence says what to do.
    QString err = errorOf([&] { anonymous.manifest(RegistryRef::parse(host + "/private/app:v1")); });
    QCOMPARE(err, QString::fromStdString("GET http://" + host + "/v2/private/app/manifests/v1: the registry refused anonymous "
                                         "access (HTTP 401 UNAUTHORIZED (authentication required)); log in with hoodctl login " + host));
    // With credentials the token service gives a user token.
    opts.credentials = RegistryCredentials{"tok", "pw"};
    RegistryClient user(opts);
    QVERIFY(!user.manifest(RegistryRef::parse(host + "/private/app:v1")).body.empty());
    user.ping(host);
    opts.credentials = RegistryCredentials{"tok", "wrong"};
    RegistryClient wrong(opts);
    err = errorOf([&] { wrong.manifest(RegistryRef::parse(host + "/private/app:v1")); });
    QCOMPARE(err, QString::fromStdString("GET http://" + host + "/token: the token service refused the credentials of tok "
                                         "(HTTP 401 UNAUTHORIZED (bad password))"));
    ::kill(pid_t(server.processId()), SIGTERM);
    server.waitForFinished(5000);
}

QTEST_GUILESS_MAIN(TestRegistryClient)
#include "tst_registry.moc"
