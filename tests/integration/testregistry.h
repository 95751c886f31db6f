// A docker-registry (Debian's package) for a test: on 127.0.0.1 at a free port,
// with a config and a storage directory of its own (optionally htpasswd auth),
// killed by pid when the object goes. tst_registry, tst_build and tst_buildpage share it.
#pragma once

#include "sys/fd.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QThread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

namespace testregistry {

inline const char *kRegistry = "/usr/bin/docker-registry";
inline const char *kMissing = "needs /usr/bin/docker-registry (Debian package docker-registry)";

inline bool available()
{
    return QFile::exists(kRegistry);
}

inline int freePort()
{
    hood::Fd s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (!s || ::bind(s.get(), reinterpret_cast<sockaddr *>(&a), sizeof a) != 0)
        return 0;
    socklen_t len = sizeof a;
    ::getsockname(s.get(), reinterpret_cast<sockaddr *>(&a), &len);
    return ntohs(a.sin_port);
}

inline bool canConnect(int port)
{
    hood::Fd s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(uint16_t(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return s && ::connect(s.get(), reinterpret_cast<sockaddr *>(&a), sizeof a) == 0;
}

class TestRegistry {
public:
    bool start(const QString &dir, const QString &htpasswd = {})
    {
        QDir().mkpath(dir);
        m_port = freePort();
        QString yaml = QString("version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %1/storage\n"
                               "http:\n  addr: 127.0.0.1:%2\n").arg(dir).arg(m_port);
        if (!htpasswd.isEmpty())
            yaml += QString("auth:\n  htpasswd:\n    realm: hood-test\n    path: %1\n").arg(htpasswd);
        QFile f(dir + "/config.yml");
        if (!f.open(QIODevice::WriteOnly))
            return false;
        f.write(yaml.toUtf8());
        f.close();
        // The registry logs every 404 of a blob check; keep that out of the test's output.
        m_process.setStandardOutputFile(dir + "/registry.log");
        m_process.setStandardErrorFile(dir + "/registry.log", QIODevice::Append);
        m_process.start(kRegistry, {"serve", dir + "/config.yml"});
        if (!m_process.waitForStarted(5000))
            return false;
        for (int i = 0; i < 100 && !canConnect(m_port); ++i)
            QThread::msleep(100);
        return canConnect(m_port);
    }
    ~TestRegistry()
    {
        if (m_process.processId() > 0) {
            ::kill(pid_t(m_process.processId()), SIGTERM);
            if (!m_process.waitForFinished(5000)) {
                ::kill(pid_t(m_process.processId()), SIGKILL);
                m_process.waitForFinished(5000);
            }
        }
    }
    QString host() const { return QString("127.0.0.1:%1").arg(m_port); }

private:
    int m_port = 0;
    QProcess m_process;
};

} // namespace testregistry
