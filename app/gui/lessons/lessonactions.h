// What a lesson may ask the window to do. The main window implements this interface;
// the lessons dock only calls it, so lessons stay data and the dock stays testable
// with a fake. The six calls match the six action names of the lesson format
// (lessons/README.md): launch, open-page, highlight, type, stop, kill.
#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace hood::gui {

// Exactly the arguments of the `launch` action. A field left unset (empty string,
// empty optional) means "use the launcher's default", so a lesson names only what
// it wants to show; the main window maps each field onto its launcher settings.
struct LaunchRequest {
    QString image;                         // empty: the built-in busybox image
    QStringList command;                   // argv; empty: the image's default command
    std::optional<QStringList> namespaces; // short names (pid mnt uts ipc net user cgroup
                                           // time) to create; an empty list shares all
                                           // with the host; unset: the launcher's default
    QString memory;                        // memory limit as the launcher writes it ("64M")
    std::optional<double> cpus;            // CPU quota in CPUs (0.5 = half of one CPU)
    std::optional<int> pids;               // pids.max
    QString hostname;                      // needs the uts namespace
    std::optional<bool> chroot;            // true: chroot, false: pivot_root
    std::optional<bool> rootless;          // true: run in a user namespace as a normal user
    QString name;                          // container name; empty: generated

    bool operator==(const LaunchRequest &) const = default;
};

class LessonActions {
public:
    virtual ~LessonActions();
    virtual void launch(const LaunchRequest &request) = 0;
    // page: launcher, namespaces, resources, mounts, processes, console or commands.
    virtual void openPage(const QString &page) = 0;
    // key: a row or item on that page, e.g. a namespace kind ("net") on the Namespaces
    // page or a plot ("memory") on the Resources page.
    virtual void highlight(const QString &page, const QString &key) = 0;
    virtual void typeInConsole(const QString &text) = 0;
    virtual void stopContainer() = 0;
    // signal: a name such as "KILL" or "TERM"; empty: the window's default (TERM).
    virtual void killContainer(const QString &signal) = 0;
};

} // namespace hood::gui
