// What a lesson may ask the window to do. The main window implements this interface;
// the lessons dock only calls it, so lessons stay data and the dock stays testable
// with a fake. The seven calls match the seven action names of the lesson format
// (lessons/README.md): launch, open-page, highlight, type, stop, kill, wait-for;
// the eighth, measure, the dock performs itself.
//
// The calls that take time (launch, stop, kill, wait-for) say when they are over
// through an ActionDone, so the dock can run a step's actions in order: "stop, then
// launch" launches once the stop has finished.
#pragma once

#include <QString>
#include <QStringList>

#include <functional>
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
    std::optional<bool> seccomp;           // false: no seccomp filter (seccomp=unconfined)

    bool operator==(const LaunchRequest &) const = default;
};

// How an action ended: an empty string when it did what it says, else one sentence
// saying why not ("wait-for: /tmp/ready did not appear in web within 10 s.").
using ActionDone = std::function<void(const QString &failure)>;

// The `wait-for` action's condition, on the current container.
struct WaitCondition {
    enum class Kind { State, Console, File, CopyUp };
    Kind kind = Kind::State;
    // State: "running" or "stopped"; Console: the text; File, CopyUp: an absolute path
    // (CopyUp: it is in the container's writable layer: copied up, created or whited out)
    QString value;
    int timeoutMs = 10000; // then it fails with a sentence

    bool operator==(const WaitCondition &) const = default;
};

class LessonActions {
public:
    virtual ~LessonActions();
    // done: once the new container runs, or with the engine's sentence if it did not start.
    virtual void launch(const LaunchRequest &request, ActionDone done = {}) = 0;
    // page: launcher, namespaces, resources, mounts, processes, console, commands or startup.
    virtual void openPage(const QString &page) = 0;
    // key: a row or item on that page, e.g. a namespace kind ("net") on the Namespaces
    // page or a plot ("memory") on the Resources page.
    virtual void highlight(const QString &page, const QString &key) = 0;
    virtual void typeInConsole(const QString &text) = 0;
    // done: once the container has stopped (at once when none runs).
    virtual void stopContainer(ActionDone done = {}) = 0;
    // signal: a name such as "KILL" or "TERM"; empty: the window's default (TERM).
    // done: once the signal has been sent.
    virtual void killContainer(const QString &signal, ActionDone done = {}) = 0;
    // done: once the condition holds, or with a sentence when the timeout passes first.
    virtual void waitFor(const WaitCondition &condition, ActionDone done) = 0;
    // what: one of measureNames() (measureresult.h). The lessons dock does this one
    // itself (it runs hoodctl and draws the figures); done: once they are drawn.
    virtual void measure(const QString &what, ActionDone done);
};

} // namespace hood::gui
