// The pure parts of networking: --network and -p parsing, subnets, the IPAM's
// choice of address, the veth name, and the equivalent commands. No links are made
// (the one netlink read, the routes for overlap checks, only lists).
#include "error.h"
#include "net/ipv4.h"
#include "net/links.h"
#include "net/netcommands.h"
#include "net/netoptions.h"
#include "net/networks.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace hood;
using namespace hood::net;

Q_DECLARE_METATYPE(hood::net::PortMapping)

class TestNetOptions : public QObject {
    Q_OBJECT

private slots:
    void publish_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected"); // PortMapping::text(), or "error: ..." prefix
        QTest::addRow("plain") << "8080:80" << "0.0.0.0:8080->80/tcp";
        QTest::addRow("udp") << "53:53/udp" << "0.0.0.0:53->53/udp";
        QTest::addRow("host-ip") << "127.0.0.1:8080:80/tcp" << "127.0.0.1:8080->80/tcp";
        QTest::addRow("no-host-port") << "80" << "error: -p 80: give HOST_PORT:PORT";
        QTest::addRow("bad-port") << "8080:70000" << "error: -p 8080:70000: \"70000\" is not a port number";
        QTest::addRow("bad-proto") << "1:2/sctp" << "error: -p 1:2/sctp: the protocol must be tcp or udp";
        QTest::addRow("bad-ip") << "1.2.3:1:2" << "error: -p 1.2.3:1:2: \"1.2.3\" is not an IPv4 address";
    }
    void publish()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        try {
            QCOMPARE(QString::fromStdString(parsePublish(text.toStdString()).text()), expected);
        } catch (const Error &e) {
            QVERIFY2(expected.startsWith("error: ") && QString(e.what()).startsWith(expected.mid(7)), e.what());
        }
    }

    void networkFlag_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("detail");
        QTest::addRow("none") << "none" << "none" << "";
        QTest::addRow("host") << "host" << "host" << "";
        QTest::addRow("bridge") << "bridge" << "bridge" << "";
        QTest::addRow("container") << "container:web" << "container" << "web";
        QTest::addRow("user-network") << "lab" << "bridge" << "lab";
        QTest::addRow("bad") << "container:" << "error" << "";
    }
    void networkFlag()
    {
        QFETCH(QString, value);
        QFETCH(QString, mode);
        QFETCH(QString, detail);
        NetworkOptions o;
        try {
            parseNetworkFlag(value.toStdString(), o);
        } catch (const Error &e) {
            QCOMPARE(mode, QString("error"));
            QVERIFY(QString(e.what()).startsWith("--network container:: must be"));
            return;
        }
        QCOMPARE(QString(modeName(*o.mode)), mode);
        QCOMPARE(QString::fromStdString(o.container.empty() ? o.network : o.container), detail);
    }

    void subnets()
    {
        QVERIFY(!parseSubnet("10.88.0.1/16")); // host bits set
        QVERIFY(!parseSubnet("10.88.0.0"));
        Subnet a = *parseSubnet("10.88.0.0/16"), b = *parseSubnet("10.88.5.0/24"), c = *parseSubnet("10.89.0.0/16");
        QVERIFY(a.overlaps(b) && b.overlaps(a));
        QVERIFY(!a.overlaps(c));
        QCOMPARE(formatIpv4(a.gateway()), std::string("10.88.0.1"));
        QCOMPARE(formatIpv4(a.broadcast()), std::string("10.88.255.255"));
        QCOMPARE(macForAddress(*parseIpv4("10.88.0.2")), std::string("02:42:0a:58:00:02"));
        QVERIFY(validMac("02:42:0a:58:00:02"));
        QVERIFY(!validMac("01:00:5e:00:00:01")); // multicast
    }

    void vethNames()
    {
        QCOMPARE(hostVethName("web"), std::string("h-web"));
        std::string longName = hostVethName("a-very-long-container-name");
        QVERIFY(longName.size() <= 15);
        QVERIFY(longName != hostVethName("a-very-long-container-name2"));
        QCOMPARE(longName, hostVethName("a-very-long-container-name")); // stable
    }

    void addressesAndLeases()
    {
        QTemporaryDir root;
        NetworkLock lock(networksDir(root.path().toStdString()));
        NetworkDef d = createNetwork(root.path().toStdString(), "lab", parseSubnet("10.123.0.0/29"));
        QCOMPARE(d.bridge, std::string("hood1"));
        QCOMPARE(formatIpv4(chooseAddress(d, std::nullopt)), std::string("10.123.0.2"));
        writeLease(leasePath(d, *parseIpv4("10.123.0.2")), {0, "a", "a", "/nowhere", ""});
        QCOMPARE(formatIpv4(chooseAddress(d, std::nullopt)), std::string("10.123.0.3"));
        QVERIFY_THROWS_EXCEPTION(Error, chooseAddress(d, parseIpv4("10.123.0.2")));
        QVERIFY_THROWS_EXCEPTION(Error, chooseAddress(d, parseIpv4("10.123.0.7"))); // broadcast
        QVERIFY_THROWS_EXCEPTION(Error, chooseAddress(d, parseIpv4("10.124.0.3")));
        QVERIFY_THROWS_EXCEPTION(Error, createNetwork(root.path().toStdString(), "other", parseSubnet("10.123.0.0/24")));
        QVERIFY_THROWS_EXCEPTION(Error, removeNetwork(root.path().toStdString(), "lab")); // in use
        QString hosts = QString::fromStdString(hostsFile(d, "a"));
        QVERIFY(hosts.contains("10.123.0.2\ta\n"));
    }

    void equivalent()
    {
        Attachment a;
        a.mode = Mode::Bridge;
        a.network = "hood";
        a.bridge = "hood0";
        a.hostVeth = "h-web";
        a.mac = "02:42:0a:58:00:02";
        a.address = *parseIpv4("10.88.0.2");
        a.gateway = *parseIpv4("10.88.0.1");
        a.prefix = 16;
        a.ports = {parsePublish("8080:80")};
        CommandOptions o;
        o.pidWord = "4242";
        std::vector<std::string> c = equivalentCommands("web", a, o);
        QVERIFY(std::find(c.begin(), c.end(), "ip link add h-web type veth peer name eth0 netns 4242 address 02:42:0a:58:00:02") != c.end());
        QVERIFY(std::find(c.begin(), c.end(), "nsenter -t 4242 -n ip addr add 10.88.0.2/16 dev eth0") != c.end());
        QCOMPARE(QString::fromStdString(c.back()).left(35), QString("nft 'add rule inet hood output meta"));
    }
};

QTEST_GUILESS_MAIN(TestNetOptions)
#include "tst_netoptions.moc"
