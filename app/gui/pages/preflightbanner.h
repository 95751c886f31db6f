// The preflight banner: one chip per check (a word and a colour), and a table with
// the reason and the fix behind a Details button.
#pragma once

#include "preflight.h"

#include <QFrame>

class QHBoxLayout;
class QPushButton;
class QTableView;

namespace hood::gui {

class PreflightModel;

class PreflightBanner : public QFrame {
    Q_OBJECT

public:
    explicit PreflightBanner(QWidget *parent = nullptr);
    void setItems(const QVector<PreflightItem> &items);
    void setDetailsVisible(bool visible);
    PreflightModel *model() const { return m_model; }
    QPushButton *detailsButton() const { return m_details; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void rebuildChips();

    PreflightModel *m_model;
    QHBoxLayout *m_chips;
    QPushButton *m_details;
    QTableView *m_table;
};

} // namespace hood::gui
