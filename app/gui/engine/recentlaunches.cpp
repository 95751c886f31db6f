#include "recentlaunches.h"

#include "models/containerlistmodel.h"

#include <QSettings>

namespace hood::gui {

QVariantMap toVariant(const LaunchSettings &s)
{
    return {{"image", s.image},       {"command", s.command},   {"namespaces", s.namespaces},
            {"memory", s.memory},     {"cpus", s.cpus},         {"pids", s.pids},
            {"hostname", s.hostname}, {"chroot", s.chroot},     {"rootless", s.rootless},
            {"name", s.name},         {"terminal", s.terminal}, {"seccomp", s.seccomp}};
}

LaunchSettings fromVariant(const QVariantMap &m)
{
    LaunchSettings s;
    s.image = m.value("image", s.image).toString();
    s.command = m.value("command", s.command).toStringList();
    s.namespaces = m.value("namespaces", s.namespaces).toStringList();
    s.memory = m.value("memory", 0).toLongLong();
    s.cpus = m.value("cpus", 0).toDouble();
    s.pids = m.value("pids", 0).toLongLong();
    s.hostname = m.value("hostname").toString();
    s.chroot = m.value("chroot", false).toBool();
    s.rootless = m.value("rootless", false).toBool();
    s.name = m.value("name").toString();
    s.terminal = m.value("terminal", true).toBool();
    s.seccomp = m.value("seccomp", true).toBool();
    return s;
}

QString describe(const LaunchSettings &s)
{
    QStringList parts = {s.image + ": " + (s.command.isEmpty() ? QStringLiteral("sh") : s.command.join(' '))};
    parts << (s.namespaces.isEmpty() ? QObject::tr("no namespaces") : s.namespaces.join(' '));
    if (s.memory > 0)
        parts << formatMemory(double(s.memory));
    if (s.cpus > 0)
        parts << QObject::tr("%1 CPU").arg(s.cpus);
    if (s.pids > 0)
        parts << QObject::tr("%1 pids").arg(s.pids);
    if (s.rootless)
        parts << QObject::tr("rootless");
    if (s.chroot)
        parts << QStringLiteral("chroot");
    if (!s.seccomp)
        parts << QObject::tr("no seccomp");
    return parts.join(QStringLiteral(" · "));
}

QVector<LaunchSettings> RecentLaunches::load() const
{
    QVector<LaunchSettings> out;
    for (const QVariant &v : m_settings.value("launcher/recent").toList())
        out << fromVariant(v.toMap());
    return out;
}

void RecentLaunches::remember(const LaunchSettings &settings)
{
    QVector<LaunchSettings> list = load();
    list.removeAll(settings);
    list.prepend(settings);
    QVariantList out;
    for (qsizetype i = 0; i < list.size() && i < kMax; ++i)
        out << toVariant(list[i]);
    m_settings.setValue("launcher/recent", out);
}

} // namespace hood::gui
