// hood: the desktop app.
//   hood                     opens the main window
//   hood --screenshot FILE   renders the main window offscreen to a PNG and exits
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QImage>

#include <cstdio>
#include <string_view>

namespace {

// --screenshot, --help and --version need no display: for them Qt uses the offscreen
// platform, unless the caller chose a platform explicitly.
bool needsNoDisplay(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg.starts_with("--screenshot") || arg == "--help" || arg == "-h" || arg == "--version"
            || arg == "-v")
            return true;
    }
    return false;
}

int saveScreenshot(MainWindow &window, const QString &file)
{
    // grab() lays the window out and renders it without showing it.
    if (!window.grab().save(file, "PNG")) {
        std::fprintf(stderr, "hood: cannot write the screenshot to %s\n", qPrintable(file));
        return 1;
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    if (needsNoDisplay(argc, argv) && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");

    QApplication app(argc, argv);
    QApplication::setApplicationName("Hood");
    QApplication::setApplicationVersion(HOOD_VERSION);
    QApplication::setDesktopFileName("io.github.hood.Hood");

    QCommandLineParser parser;
    parser.setApplicationDescription("See how containers really work.");
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshot(
        "screenshot", "Render the main window offscreen to <file> (PNG) and exit.", "file");
    parser.addOption(screenshot);
    parser.process(app);

    MainWindow window;
    if (parser.isSet(screenshot))
        return saveScreenshot(window, parser.value(screenshot));
    window.show();
    return app.exec();
}
