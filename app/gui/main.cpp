// hood: the desktop app.
//   hood                          opens the main window
//   hood --screenshot FILE        renders the main window offscreen to a PNG and exits
//   hood --bench-sampling N SECS [PAGE_SECS]  the GUI benchmark (tests/bench/gui): N containers at
//                                 10 Hz, then frame times on each live page
//   hood --bench-hogs SECS        frame time and host latency idle and beside a fork bomb,
//                                 a memory hog and a CPU hog under their limits (tests/bench/hogs)
#include "bench.h"
#include "lessonsdock.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QImage>
#include <QSettings>
#include <QStyleFactory>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <string_view>

namespace {

// --screenshot, --bench-sampling, --bench-hogs, --help and --version need no display: for them Qt
// uses the offscreen platform, unless the caller chose a platform explicitly.
bool needsNoDisplay(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg.starts_with("--screenshot") || arg.starts_with("--bench-") || arg == "--help"
            || arg == "-h" || arg == "--version" || arg == "-v")
            return true;
    }
    return false;
}

int saveScreenshot(hood::gui::MainWindow &window, const QString &file)
{
    // Shown (though never on a screen), so the window lays itself out as it would
    // on a display: the lessons dock takes its share once the window has its width.
    window.setAttribute(Qt::WA_DontShowOnScreen);
    window.show();
    // The preflight banner and the page's inspection arrive from their threads.
    QElapsedTimer waited;
    waited.start();
    do {
        QEventLoop loop;
        QTimer::singleShot(10, &loop, &QEventLoop::quit);
        loop.exec();
    } while (window.isReading() && waited.elapsed() < 5000);
    // grab() lays the window out and renders it without showing it.
    if (!window.grab().save(file, "PNG")) {
        std::fprintf(stderr, "hood: cannot write the screenshot to %s\n", qPrintable(file));
        return 1;
    }
    return 0;
}

// Hood used to set no organization name, so older settings sit in
// ~/.config/Unknown Organization/Hood.conf; they move over once.
void adoptOldSettings()
{
    QSettings now;
    if (!now.allKeys().isEmpty())
        return;
    QSettings old(QSettings::NativeFormat, QSettings::UserScope, QStringLiteral("Unknown Organization"),
                  QCoreApplication::applicationName());
    for (const QString &key : old.allKeys())
        now.setValue(key, old.value(key));
}

} // namespace

int main(int argc, char **argv)
{
    if (needsNoDisplay(argc, argv) && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");

    QApplication app(argc, argv);
    // QSettings files go to ~/.config/Hood/Hood.conf, not "Unknown Organization". The
    // domain is a reserved name (RFC 2606): Hood has no web domain of its own.
    QApplication::setOrganizationName("Hood");
    QApplication::setOrganizationDomain("hood.example");
    QApplication::setApplicationName("Hood");
    QApplication::setApplicationVersion(HOOD_VERSION);
    QApplication::setDesktopFileName("io.github.hood.Hood");
    adoptOldSettings();
    // Fusion draws every palette (light, dark, high contrast) faithfully.
    QApplication::setStyle(QStyleFactory::create("Fusion"));

    QCommandLineParser parser;
    parser.setApplicationDescription("See how containers really work.");
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshot(
        "screenshot", "Render the main window offscreen to <file> (PNG) and exit.", "file");
    const QCommandLineOption bench("bench-sampling",
                                   "Benchmark: <n> containers sampled at 10 Hz for the seconds given as "
                                   "the next argument; prints CPU time and replot times.",
                                   "n");
    const QCommandLineOption hogs("bench-hogs",
                                  "Benchmark: the frame time and the host's latency for <seconds> with an idle "
                                  "container, then beside a fork bomb, a memory hog and a CPU hog under their limits.",
                                  "seconds");
    const QCommandLineOption page("page", "With --screenshot: the page to show (launcher, namespaces, resources, "
                                          "mounts, processes, console, commands, startup, layers, network, security).",
                                  "name");
    const QCommandLineOption size("size", "With --screenshot: the window's size, e.g. 1280x720.", "WxH");
    const QCommandLineOption lesson("lesson", "Open the lessons on <slug>, at step N (from 1) after a colon, "
                                              "e.g. 04-containers-vs-vms:2.", "slug[:N]");
    const QCommandLineOption presentation("presentation", "Start in presentation mode (F11).");
    parser.addOption(screenshot);
    parser.addOption(page);
    parser.addOption(size);
    parser.addOption(lesson);
    parser.addOption(presentation);
    parser.addOption(bench);
    parser.addOption(hogs);
    parser.addPositionalArgument("seconds", "With --bench-sampling: how long to measure (default 30).");
    parser.addPositionalArgument("page-seconds",
                                 "With --bench-sampling: then how long to measure frame times on each live "
                                 "page (default 10; 0 skips it).");
    parser.process(app);

    if (parser.isSet(bench)) {
        const double seconds = parser.positionalArguments().value(0, "30").toDouble();
        const double pageSeconds = parser.positionalArguments().value(1, "10").toDouble();
        return hood::gui::runSamplingBench(parser.value(bench).toInt(), seconds > 0 ? seconds : 30,
                                           std::max(0.0, pageSeconds));
    }
    if (parser.isSet(hogs)) {
        const double seconds = parser.value(hogs).toDouble();
        return hood::gui::runHogsBench(seconds > 0 ? seconds : 15);
    }
    hood::gui::MainWindow window;
    if (parser.isSet(size)) {
        const QStringList wh = parser.value(size).split('x');
        if (wh.size() == 2)
            window.resize(wh[0].toInt(), wh[1].toInt());
    }
    if (parser.isSet(page))
        window.openPage(parser.value(page));
    if (parser.isSet(lesson)) {
        const QStringList at = parser.value(lesson).split(':');
        window.lessonsDock()->show();
        if (!window.lessonsDock()->openLesson(at[0], std::max(0, at.value(1, "1").toInt() - 1))) {
            std::fprintf(stderr, "hood: no lesson %s\n", qPrintable(parser.value(lesson)));
            return 2;
        }
    }
    if (parser.isSet(presentation))
        window.setPresentationMode(true);
    if (parser.isSet(screenshot))
        return saveScreenshot(window, parser.value(screenshot));
    if (window.sizedToScreen())
        window.showMaximized();
    else
        window.show();
    return app.exec();
}
