// Bridge networking for real, inside a network namespace this test makes for
// itself (unshare(CLONE_NEWNET) in initTestCase, before any container starts), so
// the machine's own links, addresses, routes and nft rules are never touched:
// every bridge, veth and rule below lives and dies in that namespace.
//   - two containers on the bridge ping each other, by address and by name; a
//     third in mode none cannot reach them;
//   - two user networks are isolated; containers reach each other by name;
//   - a published port reaches a busybox httpd through 127.0.0.1 and the bridge;
//   - what Hood reports equals `ip -j` and `nft -j list table inet hood`;
//   - bad input is one sentence and creates nothing;
//   - after delete, and after a SIGKILL at each step of a bridged start + gc,
//     no veth, bridge, lease, port claim, address or nft table remains.
#include "hoodtest.h"

#include "sys/fd.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>

using namespace hoodtest;

class TestNetwork : public QObject {
    Q_OBJECT

    QTemporaryDir m_root;
    QString root() const { return m_root.path() + "/state"; }

    static Result sh(const QStringList &args)
    {
        QProcess p;
        p.start(args.first(), args.mid(1));
        p.waitForFinished(30000);
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
    }

    static QJsonDocument json(const QStringList &args) { return QJsonDocument::fromJson(sh(args).out.toUtf8()); }

    Result hood(const QStringList &args) { return run(root(), args); }

    QString startDetached(const QStringList &args)
    {
        Result r = hood(QStringList {"run", "-d"} + args);
        if (r.code != 0)
            qWarning("hoodctl run: %s", qPrintable(r.err));
        return r.code == 0 ? r.out.trimmed() : QString();
    }

    QString addressOf(const QString &id)
    {
        return QJsonDocument::fromJson(hood({"port", id, "--json"}).out.toUtf8())["address"].toString();
    }

    bool pings(const QString &from, const QString &to)
    {
        return hood({"exec", from, "--", "ping", "-c", "1", "-W", "2", to}).code == 0;
    }

    // What the network step could have left in this namespace and state root.
    QStringList netLeftovers()
    {
        QStringList found;
        for (const QJsonValue &v : json({"ip", "-j", "addr"}).array()) {
            QJsonObject l = v.toObject();
            if (l["ifname"].toString() != "lo")
                found << "link " + l["ifname"].toString();
            for (const QJsonValue &a : l["addr_info"].toArray())
                if (l["ifname"].toString() != "lo")
                    found << "address " + a.toObject()["local"].toString();
        }
        if (sh({"nft", "list", "table", "inet", "hood"}).code == 0)
            found << "nft table inet hood";
        for (const QString &net : QDir(root() + "/#networks").entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            for (const QString &f : QDir(root() + "/#networks/" + net + "/leases").entryList(QDir::Files))
                found << "lease " + net + "/" + f;
        }
        for (const QString &f : QDir(root() + "/#networks/ports").entryList(QDir::Files))
            found << "port claim " + f;
        for (const QString &s : leftovers(root())) {
            if (!s.endsWith("/#networks"))
                found << s;
        }
        return found;
    }

    QStringList gcUntilClean()
    {
        QStringList left;
        for (int i = 0; i < 50; ++i) {
            hood({"gc"});
            left = netLeftovers();
            if (left.isEmpty())
                break;
            QTest::qWait(100);
        }
        return left;
    }

    // curl in the test's namespace (the host side). Not the image's busybox wget:
    // that static build segfaults in its resolver on this machine.
    static QByteArray httpGet(const QString &host, quint16 port)
    {
        Result r = sh({"curl", "-sS", "-m", "3", QString("http://%1:%2/").arg(host).arg(port)});
        return (r.out + r.err).toUtf8();
    }

    // A TCP listener on addr, any free port, in the test's namespace.
    struct Listener {
        hood::Fd fd;
        quint16 port = 0;
        explicit Listener(const char *addr)
        {
            fd.reset(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
            sockaddr_in a {};
            a.sin_family = AF_INET;
            inet_pton(AF_INET, addr, &a.sin_addr);
            socklen_t len = sizeof a;
            if (bind(fd.get(), reinterpret_cast<sockaddr *>(&a), len) == 0 && listen(fd.get(), 4) == 0
                && getsockname(fd.get(), reinterpret_cast<sockaddr *>(&a), &len) == 0)
                port = ntohs(a.sin_port);
        }
        // What the first connection sent (the kernel accepted it while we waited).
        QByteArray firstMessage(int timeoutMs) const
        {
            pollfd p {fd.get(), POLLIN, 0};
            if (poll(&p, 1, timeoutMs) <= 0)
                return {};
            hood::Fd peer(accept4(fd.get(), nullptr, nullptr, SOCK_CLOEXEC));
            char buf[256];
            pollfd q {peer.get(), POLLIN, 0};
            ssize_t n = poll(&q, 1, timeoutMs) > 0 ? read(peer.get(), buf, sizeof buf) : -1;
            return n > 0 ? QByteArray(buf, int(n)) : QByteArray();
        }
    };

private slots:
    void initTestCase()
    {
        if (!isRoot())
            QSKIP("bridges, veth pairs and nft rules need root (run it with sudo)");
        QVERIFY(m_root.isValid());
        // Our own network namespace: everything below happens in it, never on the host's.
        QVERIFY2(unshare(CLONE_NEWNET) == 0, strerror(errno));
        QCOMPARE(sh({"ip", "link", "set", "lo", "up"}).code, 0);
        QVERIFY(netLeftovers().isEmpty());
    }

    void cleanup()
    {
        for (const QString &id : hood({"list", "-q"}).out.split('\n', Qt::SkipEmptyParts))
            hood({"delete", "--force", id});
        for (const char *n : {"n1", "n2"})
            hood({"network", "rm", n});
        QStringList left = netLeftovers();
        QVERIFY2(left.isEmpty(), qPrintable("after delete: " + left.join("; ")));
    }

    void pingOnTheBridge()
    {
        QVERIFY(!startDetached({"--name", "a", "--network", "bridge", "--", "sleep", "60"}).isEmpty());
        QVERIFY(!startDetached({"--name", "b", "--network", "bridge", "--", "sleep", "60"}).isEmpty());
        QVERIFY(!startDetached({"--name", "c", "--network", "none", "--", "sleep", "60"}).isEmpty());
        const QString a = addressOf("a"), b = addressOf("b");
        QCOMPARE(a, QString("10.88.0.2"));
        QCOMPARE(b, QString("10.88.0.3"));
        QVERIFY(pings("a", b));
        QVERIFY(pings("b", a));
        QVERIFY(pings("b", "a")); // by name: /etc/hosts
        QVERIFY(!pings("c", a));
        // The bridge and both veths are there while they run.
        QJsonArray links = json({"ip", "-j", "link"}).array();
        QStringList names;
        for (const QJsonValue &v : links)
            names << v.toObject()["ifname"].toString();
        QVERIFY2(names.contains("hood0") && names.contains("h-a") && names.contains("h-b"), qPrintable(names.join(" ")));
    }

    void userNetworksAreIsolated()
    {
        QCOMPARE(hood({"network", "create", "n1", "--subnet", "10.90.0.0/24"}).code, 0);
        QCOMPARE(hood({"network", "create", "n2", "--subnet", "10.91.0.0/24"}).code, 0);
        QVERIFY(!startDetached({"--name", "x1", "--network", "n1", "--", "sleep", "60"}).isEmpty());
        QVERIFY(!startDetached({"--name", "x3", "--network", "n1", "--", "sleep", "60"}).isEmpty());
        QVERIFY(!startDetached({"--name", "y1", "--network", "n2", "--", "sleep", "60"}).isEmpty());
        QVERIFY(pings("x1", "x3"));
        QVERIFY(pings("x3", "x1"));
        QVERIFY(!pings("x1", "y1"));               // not a name it knows
        QVERIFY(!pings("x1", addressOf("y1")));    // nor a route through the host
        QVERIFY(!pings("y1", addressOf("x1")));
        QString hosts = hood({"exec", "y1", "--", "cat", "/etc/hosts"}).out;
        QVERIFY2(hosts.contains("y1") && !hosts.contains("x1"), qPrintable(hosts));
    }

    void publishedPortReachesHttpd()
    {
        if (QStandardPaths::findExecutable("curl").isEmpty())
            QSKIP("curl is not installed: the published port is fetched with it (apt-get install curl)");
        QVERIFY(!startDetached({"--name", "web", "--network", "bridge", "-p", "8080:80", "--", "sh", "-c",
                                "mkdir /w && echo hello-from-hood > /w/index.html && exec httpd -f -p 80 -h /w"})
                     .isEmpty());
        QCOMPARE(hood({"port", "web"}).out.trimmed(), QString("80/tcp -> 0.0.0.0:8080"));
        for (const QString &host : {QString("127.0.0.1"), QString("10.88.0.1")}) {
            QByteArray reply;
            for (int i = 0; i < 20 && !reply.contains("hello-from-hood"); ++i) {
                reply = httpGet(host, 8080);
                if (!reply.contains("hello-from-hood"))
                    QTest::qWait(100);
            }
            QVERIFY2(reply.contains("hello-from-hood"), qPrintable(host + ": " + reply));
        }
    }

    // Rootless (--rootless: a user namespace, root inside mapped to nobody) through
    // slirp4netns: the container reaches a server on the test namespace's side (at
    // 192.0.2.1, an address of its own as a LAN's would be), not its 127.0.0.1, and
    // the stack goes with the container.
    void rootlessThroughSlirp4netns()
    {
        if (QStandardPaths::findExecutable("slirp4netns", {"/usr/bin", "/usr/local/bin", "/bin"}).isEmpty())
            QSKIP("slirp4netns is not installed (apt-get install slirp4netns)");
        QCOMPARE(sh({"ip", "addr", "add", "192.0.2.1/32", "dev", "lo"}).code, 0);
        auto removeAddress = qScopeGuard([] { sh({"ip", "addr", "del", "192.0.2.1/32", "dev", "lo"}); });
        Listener lan("192.0.2.1"), loopback("127.0.0.1");
        QVERIFY(lan.port && loopback.port);
        Result r = hood({"run", "--rootless", "--network", "slirp4netns", "--", "sh", "-c",
                         QString("cat /proc/self/uid_map; ip -o -4 addr show tap0; "
                                 "echo hello-through-slirp | timeout 2 nc 192.0.2.1 %1; " // nc waits for the server's close
                                 "echo no | timeout 2 nc 10.0.2.2 %2 && echo loopback-reached; exit 0")
                             .arg(lan.port)
                             .arg(loopback.port)});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QRegularExpression("0\\s+65534\\s+1")), qPrintable(r.out)); // a user namespace
        QVERIFY2(r.out.contains("tap0    inet 10.0.2.100/24"), qPrintable(r.out));
        QVERIFY2(!r.out.contains("loopback-reached"), qPrintable(r.out)); // --disable-host-loopback
        QCOMPARE(lan.firstMessage(3000).trimmed(), QByteArray("hello-through-slirp"));
        QVERIFY(loopback.firstMessage(0).isEmpty());
        // The stack ended with the container: no slirp4netns left in this namespace.
        const QString ourNet = QFileInfo("/proc/self/ns/net").symLinkTarget();
        for (const QString &pid : QDir("/proc").entryList(QDir::Dirs)) {
            QFile comm("/proc/" + pid + "/comm");
            if (pid.toInt() > 0 && comm.open(QIODevice::ReadOnly) && comm.readAll().trimmed() == "slirp4netns")
                QVERIFY2(QFileInfo("/proc/" + pid + "/ns/net").symLinkTarget() != ourNet,
                         qPrintable("slirp4netns " + pid + " outlived its container"));
        }
    }

    // Rootless explained: in run --help, and for a container in inspect.
    void rootlessNetworkingIsExplained()
    {
        if (QStandardPaths::findExecutable("slirp4netns", {"/usr/bin", "/usr/local/bin", "/bin"}).isEmpty())
            QSKIP("slirp4netns is not installed (apt-get install slirp4netns)");
        QVERIFY2(hood({"run", "--help"}).out.contains("slirp4netns is installed, so --network slirp4netns gives a "
                                                      "rootless container outbound TCP/UDP"),
                 qPrintable(hood({"run", "--help"}).out));
        QVERIFY(!startDetached({"--name", "s", "--rootless", "--network", "slirp4netns", "--", "sleep", "60"}).isEmpty());
        QString text = hood({"inspect", "s"}).out;
        QVERIFY2(text.contains("slirp4netns: tap0 10.0.2.100/24, default via 10.0.2.2"), qPrintable(text));
        QJsonDocument j = QJsonDocument::fromJson(hood({"inspect", "s", "--json"}).out.toUtf8());
        QCOMPARE(j["networkMode"].toString(), QString("slirp4netns"));
        QVERIFY(!startDetached({"--name", "n", "--", "sleep", "60"}).isEmpty());
        QVERIFY2(hood({"inspect", "n"}).out.contains("none: a network namespace with loopback only."),
                 qPrintable(hood({"inspect", "n"}).out));
    }

    void reportedEqualsIpAndNft()
    {
        QVERIFY(!startDetached({"--name", "r", "--network", "bridge", "-p", "9090:90/udp", "--", "sleep", "60"}).isEmpty());
        QString pid = QString::number(QJsonDocument::fromJson(hood({"state", "r"}).out.toUtf8())["pid"].toInt());
        QJsonObject network = QJsonDocument::fromJson(hood({"inspect", "r", "--json"}).out.toUtf8())["network"].toObject();
        QSet<QString> expected, actual;
        for (const QJsonValue &v : json({"nsenter", "-t", pid, "-n", "ip", "-j", "addr"}).array()) {
            QJsonObject l = v.toObject();
            expected << QString("link %1 %2 %3").arg(l["ifindex"].toInt()).arg(l["ifname"].toString(), l["address"].toString());
            for (const QJsonValue &a : l["addr_info"].toArray())
                if (a.toObject()["family"].toString() == "inet")
                    expected << QString("addr %1 %2/%3").arg(l["ifindex"].toInt()).arg(a.toObject()["local"].toString()).arg(a.toObject()["prefixlen"].toInt());
        }
        for (const QJsonValue &v : network["links"].toArray())
            actual << QString("link %1 %2 %3").arg(v["ifindex"].toInt()).arg(v["name"].toString(), v["mac"].toString());
        for (const QJsonValue &v : network["addresses"].toArray())
            if (v["family"].toString() == "inet")
                actual << QString("addr %1 %2/%3").arg(v["ifindex"].toInt()).arg(v["address"].toString()).arg(v["prefixLen"].toInt());
        QCOMPARE(actual, expected);
        QVERIFY(actual.contains("link 2 eth0 02:42:0a:58:00:02"));
        // Routes: the default one through the bridge's address.
        QSet<QString> ipRoutes, hoodRoutes;
        for (const QJsonValue &v : json({"nsenter", "-t", pid, "-n", "ip", "-j", "route"}).array())
            ipRoutes << v["dst"].toString() + " " + v["gateway"].toString();
        for (const QJsonValue &v : network["routes"].toArray()) {
            if (v["table"].toString() != "main" || v["family"].toString() != "inet")
                continue;
            QJsonArray hops = v["nextHops"].toArray();
            hoodRoutes << v["dst"].toString() + " " + (hops.isEmpty() ? QString() : hops[0].toObject()["gateway"].toString());
        }
        QCOMPARE(hoodRoutes, ipRoutes);
        QVERIFY(ipRoutes.contains("default 10.88.0.1"));
        // Rules: hoodctl network inspect's are nft's, handle for handle.
        QSet<QString> nftRules, hoodRules;
        for (const QJsonValue &v : json({"nft", "-j", "list", "table", "inet", "hood"}).object()["nftables"].toArray())
            if (v.toObject().contains("rule"))
                nftRules << QString("%1 %2 %3").arg(v["rule"]["chain"].toString()).arg(v["rule"]["handle"].toInt()).arg(v["rule"]["comment"].toString());
        for (const QJsonValue &v : QJsonDocument::fromJson(hood({"network", "inspect", "hood"}).out.toUtf8())["rules"].toArray())
            hoodRules << QString("%1 %2 %3").arg(v["chain"].toString()).arg(v["handle"].toInt()).arg(v["comment"].toString());
        QCOMPARE(hoodRules, nftRules);
        QCOMPARE(nftRules.size(), 5); // 3 of the network, 2 of the published port
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("sentence");
        QTest::addRow("overlapping-subnet") << QStringList {"network", "create", "n2", "--subnet", "10.90.0.0/25"}
                                            << "--subnet 10.90.0.0/25 overlaps 10.90.0.0/24 of network \"n1\"";
        QTest::addRow("address-outside") << QStringList {"run", "--network", "n1", "--ip", "10.92.0.5", "--", "true"}
                                         << "--ip 10.92.0.5 is outside the subnet 10.90.0.0/24 of network \"n1\"";
        QTest::addRow("port-published") << QStringList {"run", "--network", "n1", "-p", "7070:81", "--", "true"}
                                        << "-p 0.0.0.0:7070->81/tcp: host port 7070/tcp is already published by container \"p\"";
        QTest::addRow("unknown-network") << QStringList {"run", "--network", "nope", "--", "true"}
                                         << "network \"nope\" does not exist (hoodctl network ls lists them, hoodctl network create makes one)";
    }

    void badInput()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, sentence);
        QCOMPARE(hood({"network", "create", "n1", "--subnet", "10.90.0.0/24"}).code, 0);
        QVERIFY(!startDetached({"--name", "p", "--network", "n1", "-p", "7070:80", "--", "sleep", "60"}).isEmpty());
        const QStringList before = netLeftovers();
        const QString networks = hood({"network", "ls"}).out;
        Result r = hood(args);
        QCOMPARE(r.code, 125);
        QCOMPARE(r.err.trimmed(), "hoodctl: " + sentence);
        QCOMPARE(netLeftovers(), before); // nothing created
        QCOMPARE(hood({"network", "ls"}).out, networks);
    }

    void nothingLeftAfterKillAtEveryStep()
    {
        const QStringList args = {"run", "-d", "--name", "k", "--network", "bridge", "-p", "8181:80", "--", "sleep", "600"};
        int step = 1;
        for (;; ++step) {
            QVERIFY2(step < 300, "the start never finished: the hook kept firing");
            QProcess p;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert("HOOD_ROOT", root());
            env.insert("HOOD_TEST_KILL_AT_STEP", QString::number(step));
            p.setProcessEnvironment(env);
            p.start(hoodctl(), args);
            QVERIFY2(p.waitForFinished(30000), qPrintable(QString("step %1: hoodctl did not finish").arg(step)));
            QString err = QString::fromUtf8(p.readAllStandardError());
            if (!err.contains("ended without a word")) {
                QVERIFY2(p.exitCode() == 0, qPrintable(err));
                break; // past the last step: it started
            }
            QStringList left = gcUntilClean();
            QVERIFY2(left.isEmpty(), qPrintable(QString("after a SIGKILL at step %1: %2").arg(step).arg(left.join("; "))));
        }
        QCOMPARE(hood({"delete", "--force", "k"}).code, 0);
        qInfo("%d steps of a bridged start, each killed once", step - 1);
        QVERIFY(step > 10);
    }
};

QTEST_GUILESS_MAIN(TestNetwork)
#include "tst_network.moc"
