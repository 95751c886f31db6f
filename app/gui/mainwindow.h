// The main window: menus, the status line about this machine, and (for now) the
// welcome page as its only page.
#pragma once

#include <QMainWindow>

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);

protected:
    void changeEvent(QEvent *event) override;

private:
    void createMenus();
    void showAbout();
    void setFullScreen(bool on);

    QAction *m_fullScreen = nullptr;
};

// One line for the status bar: who we run as and the cgroup mode, in plain words.
QString machineSummary();
