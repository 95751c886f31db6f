// Namespaces: the drawing of the host and every running container, and the table
// of inodes for the selected container.
#pragma once

#include "containerdata.h"

#include <QWidget>

class QGraphicsView;
class QLabel;
class QSplitter;
class QTableView;

namespace hood::gui {

class NamespaceDiagram;
class NamespaceTableModel;

class NamespacesPage : public QWidget {
    Q_OBJECT

public:
    explicit NamespacesPage(QWidget *parent = nullptr);

    void showSnapshot(const NamespaceSnapshot &snapshot, const QString &selected);
    bool highlight(const QString &kind); // selects the row and marks the lane
    NamespaceTableModel *model() const { return m_model; }
    NamespaceDiagram *diagram() const { return m_scene; }

protected:
    void resizeEvent(QResizeEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void fit();
    void fitTable();

    NamespaceDiagram *m_scene;
    QGraphicsView *m_view;
    NamespaceTableModel *m_model;
    QTableView *m_table;
    QSplitter *m_split;
    QLabel *m_caption;
    NamespaceSnapshot m_last;
    bool m_drawn = false;
    QString m_look; // the palette and font m_last was drawn with
    QString m_selected;
    QString m_highlight;
};

} // namespace hood::gui
