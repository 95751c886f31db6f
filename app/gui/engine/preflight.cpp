#include "preflight.h"

namespace hood::gui {

namespace {

PreflightItem::Level toLevel(CheckLevel level)
{
    switch (level) {
    case CheckLevel::Ok: return PreflightItem::Level::Ok;
    case CheckLevel::Limited: return PreflightItem::Level::Limited;
    case CheckLevel::Missing: return PreflightItem::Level::Missing;
    }
    return PreflightItem::Level::Missing;
}

CheckLevel fromLevel(PreflightItem::Level level)
{
    switch (level) {
    case PreflightItem::Level::Ok: return CheckLevel::Ok;
    case PreflightItem::Level::Limited: return CheckLevel::Limited;
    case PreflightItem::Level::Missing: return CheckLevel::Missing;
    }
    return CheckLevel::Missing;
}

QString q(const std::string &text)
{
    return QString::fromStdString(text);
}

} // namespace

MachineFacts readMachineFacts(const QString &procRoot)
{
    MachineSources sources;
    sources.procRoot = procRoot.toStdString();
    return probeMachine(sources);
}

QVector<PreflightItem> judgeMachine(const MachineFacts &facts)
{
    QVector<PreflightItem> items;
    for (const MachineCheck &c : machineChecks(facts))
        items.push_back({q(c.key), q(c.title), toLevel(c.level), q(c.verdict), q(c.reason), q(c.fix)});
    return items;
}

std::pair<int, int> kernelVersion(const QString &release)
{
    return hood::kernelVersion(release.toStdString());
}

QString levelWord(PreflightItem::Level level)
{
    return QString::fromLatin1(checkLevelName(fromLevel(level)));
}

} // namespace hood::gui
