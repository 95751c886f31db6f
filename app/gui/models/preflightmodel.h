// The preflight checks as a table: check, verdict (a word and a colour), reason, fix.
#pragma once

#include "preflight.h"

#include <QAbstractTableModel>

namespace hood::gui {

class PreflightModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Check, Verdict, Reason, Fix, ColumnCount };
    static constexpr int LevelRole = Qt::UserRole + 1; // int(PreflightItem::Level)

    using QAbstractTableModel::QAbstractTableModel;

    void setItems(const QVector<PreflightItem> &items);
    const QVector<PreflightItem> &items() const { return m_items; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVector<PreflightItem> m_items;
};

} // namespace hood::gui
