// Recent launcher configurations, remembered in QSettings ("launcher/recent"),
// newest first, without duplicates.
#pragma once

#include "launchsettings.h"

#include <QVariantMap>
#include <QVector>

class QSettings;

namespace hood::gui {

QVariantMap toVariant(const LaunchSettings &settings);
LaunchSettings fromVariant(const QVariantMap &map);
// One line for a menu: "busybox: sh · pid mnt uts ipc net cgroup · 64 MiB".
QString describe(const LaunchSettings &settings);

class RecentLaunches {
public:
    static constexpr int kMax = 10;
    explicit RecentLaunches(QSettings &settings) : m_settings(settings) {}
    QVector<LaunchSettings> load() const;
    void remember(const LaunchSettings &settings); // moves it to the front

private:
    QSettings &m_settings;
};

} // namespace hood::gui
