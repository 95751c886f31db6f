// The container list: name, state, uptime, CPU, memory.
#pragma once

#include "containerdata.h"

#include <QAbstractTableModel>

namespace hood::gui {

class ContainerListModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Name, State, Uptime, Cpu, Memory, ColumnCount };
    static constexpr int IdRole = Qt::UserRole + 1;

    using QAbstractTableModel::QAbstractTableModel;

    // Keeps rows whose ID stays, so a selection survives a refresh.
    void setRows(const QVector<ContainerRow> &rows, const QDateTime &now = QDateTime::currentDateTimeUtc());
    const ContainerRow *row(int index) const;
    int rowOf(const QString &id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant display(const ContainerRow &row, int column) const;

    QVector<ContainerRow> m_rows;
    QDateTime m_now;
};

// 75 -> "1 min 15 s"; 4000 -> "1 h 6 min"
QString formatDuration(qint64 seconds);
// 67108864 -> "64 MiB" (hood::formatBytes, as hoodctl prints it)
QString formatMemory(double bytes);

} // namespace hood::gui
