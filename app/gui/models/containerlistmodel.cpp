#include "containerlistmodel.h"

#include "spec/units.h"

#include <QLocale>

namespace hood::gui {

qint64 ContainerRow::uptimeSeconds(const QDateTime &now) const
{
    if (!created.isValid())
        return 0;
    const QDateTime end = finished.isValid() ? finished : now;
    return std::max<qint64>(0, created.secsTo(end));
}

QString ContainerRow::statusText() const
{
    if (!error.isEmpty())
        return QObject::tr("failed");
    if (status != QLatin1String("stopped") || !exitCode)
        return status;
    if (oomKilled)
        return QObject::tr("OOM killed");
    if (*exitCode > 128)
        return QObject::tr("killed (signal %1)").arg(*exitCode - 128);
    return QObject::tr("exited %1").arg(*exitCode);
}

QString formatDuration(qint64 s)
{
    if (s < 60)
        return QObject::tr("%1 s").arg(s);
    if (s < 3600)
        return QObject::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return QObject::tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

QString formatMemory(double bytes)
{
    return QString::fromStdString(formatBytes(bytes > 0 ? static_cast<uint64_t>(bytes) : 0));
}

void ContainerListModel::setRows(const QVector<ContainerRow> &rows, const QDateTime &now)
{
    m_now = now;
    bool sameIds = rows.size() == m_rows.size();
    for (qsizetype i = 0; sameIds && i < rows.size(); ++i)
        sameIds = rows[i].id == m_rows[i].id;
    if (!sameIds) {
        beginResetModel();
        m_rows = rows;
        endResetModel();
        return;
    }
    m_rows = rows;
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

const ContainerRow *ContainerListModel::row(int i) const
{
    return i >= 0 && i < m_rows.size() ? &m_rows[i] : nullptr;
}

int ContainerListModel::rowOf(const QString &id) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].id == id)
            return int(i);
    }
    return -1;
}

int ContainerListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ContainerListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ContainerListModel::display(const ContainerRow &r, int column) const
{
    switch (column) {
    case Name: return r.id;
    case State: return r.statusText();
    case Uptime: return formatDuration(r.uptimeSeconds(m_now.isValid() ? m_now : QDateTime::currentDateTimeUtc()));
    case Cpu: return r.cpuPercent && r.running() ? QStringLiteral("%1 %").arg(*r.cpuPercent, 0, 'f', 1) : QStringLiteral("–");
    case Memory: return r.memory && r.running() ? formatMemory(double(*r.memory)) : QStringLiteral("–");
    }
    return {};
}

QVariant ContainerListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ContainerRow &r = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole: return display(r, index.column());
    case IdRole: return r.id;
    case Qt::ToolTipRole: {
        QString tip = tr("%1 — %2, pid %3").arg(r.id, r.command.join(' ')).arg(r.pid);
        if (!r.error.isEmpty())
            tip += '\n' + r.error;
        return tip;
    }
    case Qt::TextAlignmentRole:
        if (index.column() == Cpu || index.column() == Memory || index.column() == Uptime)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    return {};
}

QVariant ContainerListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Name");
    case State: return tr("State");
    case Uptime: return tr("Uptime");
    case Cpu: return tr("CPU");
    case Memory: return tr("Memory");
    }
    return {};
}

} // namespace hood::gui
