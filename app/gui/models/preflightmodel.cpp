#include "preflightmodel.h"

#include "theme.h"

#include <QGuiApplication>

namespace hood::gui {

void PreflightModel::setItems(const QVector<PreflightItem> &items)
{
    beginResetModel();
    m_items = items;
    endResetModel();
}

int PreflightModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int PreflightModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PreflightModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PreflightItem &it = m_items[index.row()];
    if (role == LevelRole)
        return int(it.level);
    if (role == Qt::BackgroundRole && index.column() == Verdict) {
        const QPalette p = QGuiApplication::palette();
        switch (it.level) {
        case PreflightItem::Level::Ok: return theme::privateFill(p);
        case PreflightItem::Level::Limited: return theme::groupFill(p);
        case PreflightItem::Level::Missing: return theme::alertColor(p).lighter(theme::isDark(p) ? 60 : 170);
        }
    }
    if (role == Qt::ToolTipRole)
        return it.fix.isEmpty() ? it.reason : it.reason + "\n" + tr("Fix: %1").arg(it.fix);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Check: return it.title;
    case Verdict: return QStringLiteral("%1: %2").arg(levelWord(it.level), it.verdict);
    case Reason: return it.reason;
    case Fix: return it.fix.isEmpty() ? tr("nothing to do") : it.fix;
    }
    return {};
}

QVariant PreflightModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Check: return tr("Check");
    case Verdict: return tr("Verdict");
    case Reason: return tr("Why");
    case Fix: return tr("Fix");
    }
    return {};
}

} // namespace hood::gui
