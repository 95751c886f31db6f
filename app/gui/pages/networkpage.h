// Network: the topology of the host, its bridges, each veth pair and each
// container (addresses, MACs, published ports; none and host drawn as such), live
// rx/tx of one interface plotted, a "ping between these two" button, and the ip
// and nft commands that would build the selected container's network.
// The page only draws NetworkSnapshots (engine/inspection.h reads them on the
// inspector's thread); the ping runs `hoodctl exec` as a QProcess.
#pragma once

#include "containerdata.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QProcess;
class QPushButton;

namespace hood::gui {

class NetPlot;
class TopologyView;

class NetworkPage : public QWidget {
    Q_OBJECT

public:
    explicit NetworkPage(QWidget *parent = nullptr);

    void setHoodctl(const QString &program, const QString &stateRoot);
    void showSnapshot(const NetworkSnapshot &snapshot, const QString &selected);
    QString commands() const;
    TopologyView *topology() const { return m_topology; }
    NetPlot *plot() const { return m_plot; }

private:
    void fillChoices(const NetworkSnapshot &snapshot);
    void plotInterface(const NetworkSnapshot &snapshot);
    void ping();

    TopologyView *m_topology;
    NetPlot *m_plot;
    QComboBox *m_interface;
    QComboBox *m_from;
    QComboBox *m_to;
    QPushButton *m_ping;
    QLabel *m_pingResult;
    QPlainTextEdit *m_commands;
    QProcess *m_pingProcess = nullptr;
    QString m_hoodctl, m_stateRoot;
    QString m_plotted;
    QString m_selectedId;
};

// The drawing itself, a plain QWidget that paints the last snapshot.
class TopologyView : public QWidget {
    Q_OBJECT

public:
    explicit TopologyView(QWidget *parent = nullptr);
    void setSnapshot(const NetworkSnapshot &snapshot, const QString &selected);
    QSize sizeHint() const override { return {640, 420}; }
    QSize minimumSizeHint() const override { return {360, 260}; }
    int containerCount() const { return int(m_snapshot.members.size()); }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    NetworkSnapshot m_snapshot;
    QString m_selected;
};

} // namespace hood::gui
