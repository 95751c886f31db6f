// Two steps of the process-finishing sequence (runtime/process.h) that guard the
// container's edge: no fd of Hood's survives exec, and a working directory outside
// the root is refused (CVE-2024-21626).
#include "error.h"
#include "runtime/process.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace hood;

namespace {
// Runs f in a child; its exit status.
template <class F> int inChild(F &&f)
{
    pid_t child = fork();
    if (child == 0)
        _exit(f());
    int status = 0;
    waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
} // namespace

class TestFinish : public QObject {
    Q_OBJECT

private slots:
    void closeOnExec_data()
    {
        QTest::addColumn<int>("keep");
        QTest::addRow("none-kept") << 0;
        QTest::addRow("two-kept") << 2;
    }

    // Fds opened without O_CLOEXEC get it; stdio and the kept ones do not.
    void closeOnExec()
    {
        QFETCH(int, keep);
        int status = inChild([keep] {
            int first = open("/dev/null", O_RDONLY); // no O_CLOEXEC on purpose
            int second = open("/dev/null", O_RDONLY);
            int third = open("/dev/null", O_RDONLY);
            if (first != 3 || second != 4 || third != 5)
                return 10; // the test runner left fds open: the numbers below would lie
            closeOnExecAbove(keep);
            for (int fd = 0; fd <= 5; ++fd) {
                bool cloexec = fcntl(fd, F_GETFD) & FD_CLOEXEC;
                bool expected = fd >= 3 + keep;
                if (fd <= 2 && cloexec)
                    return 20 + fd;
                if (fd > 2 && cloexec != expected)
                    return 30 + fd;
            }
            return 0;
        });
        if (status == 10)
            QSKIP("the test process inherited fds above 2, so fd numbers cannot be predicted");
        QCOMPARE(status, 0);
    }

    // chroot(2) leaves the working directory outside the new root; going there
    // through a path must be refused with one sentence, as the /proc/self/fd/N
    // trick would be.
    void cwdOutsideRootRefused()
    {
        if (geteuid() != 0)
            QSKIP("needs root for chroot(2) (run the suite with sudo)");
        QTemporaryDir jail;
        QVERIFY(jail.isValid());
        int status = inChild([&] {
            if (unshare(CLONE_NEWNS) < 0 || chdir("/tmp") < 0 || chroot(jail.path().toLocal8Bit().constData()) < 0)
                return 2;
            try {
                changeToCwd("."); // still /tmp of the host
            } catch (const Error &e) {
                return std::string(e.what()) == "chdir to cwd .: the directory lies outside the container's root" ? 0 : 3;
            }
            return 1;
        });
        QCOMPARE(status, 0);
        QCOMPARE(inChild([] {
            try {
                changeToCwd("/tmp");
            } catch (const Error &) {
                return 1;
            }
            return 0;
        }), 0);
    }
};

QTEST_GUILESS_MAIN(TestFinish)
#include "tst_finish.moc"
