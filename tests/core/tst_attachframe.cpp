// The frames a client sends on attach.sock (core/runtime/attachframe.h): keys and
// window sizes come out as they went in, however the stream is cut, and a malformed
// stream is refused rather than typed into the container.
#include "runtime/attachframe.h"

#include <QTest>

#include <string>
#include <vector>

using namespace hood::attach;

namespace {

struct Seen {
    std::string keys;
    std::vector<WindowSize> sizes;
};

// Feeds `stream` in pieces of `chunk` bytes; false when the decoder refused it.
bool decode(const std::string &stream, size_t chunk, Seen &seen)
{
    Decoder d;
    d.onInput = [&](std::string_view k) { seen.keys.append(k); };
    d.onWindowSize = [&](WindowSize s) { seen.sizes.push_back(s); };
    for (size_t at = 0; at < stream.size(); at += chunk) {
        if (!d.feed(std::string_view(stream).substr(at, chunk)))
            return false;
    }
    return d.pending() == 0;
}

} // namespace

Q_DECLARE_METATYPE(std::string)

class TestAttachFrame : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data();
    void roundTrip();
    void malformed_data();
    void malformed();
    void partialFrameWaits();
};

void TestAttachFrame::roundTrip_data()
{
    QTest::addColumn<int>("chunk");
    QTest::addRow("whole stream") << 4096;
    QTest::addRow("one byte at a time") << 1;
    QTest::addRow("three bytes") << 3;
    QTest::addRow("cut inside the header") << 2;
}

// Keys, a resize, keys with bytes that look like frame types, a larger size.
void TestAttachFrame::roundTrip()
{
    QFETCH(int, chunk);
    const std::string keys1 = "ls -l\r";
    const std::string keys2 = std::string("w\0i\x04", 4) + "stty size\r";
    const std::string stream = encodeInput(keys1) + encodeWindowSize({40, 132}) + encodeInput(keys2)
                               + encodeWindowSize({300, 1000}) + encodeInput("");
    Seen seen;
    QVERIFY(decode(stream, size_t(chunk), seen));
    QCOMPARE(seen.keys, keys1 + keys2);
    QCOMPARE(seen.sizes.size(), size_t(2));
    QVERIFY((seen.sizes[0] == WindowSize {40, 132}));
    QVERIFY((seen.sizes[1] == WindowSize {300, 1000}));
}

void TestAttachFrame::malformed_data()
{
    QTest::addColumn<std::string>("stream");
    QTest::addRow("raw keys, no frame") << std::string("ls\r");
    QTest::addRow("unknown type") << std::string("x\0\0\0\0", 5);
    QTest::addRow("window size of 3 bytes") << std::string("w\0\0\0\3abc", 8);
    QTest::addRow("frame over 64 KiB") << std::string("i\0\1\0\1", 5);
    QTest::addRow("good frame, then garbage") << encodeInput("a") + "?";
}

void TestAttachFrame::malformed()
{
    QFETCH(std::string, stream);
    Seen seen;
    QVERIFY(!decode(stream, stream.size(), seen));
}

void TestAttachFrame::partialFrameWaits()
{
    Decoder d;
    std::string keys;
    d.onInput = [&](std::string_view k) { keys.append(k); };
    const std::string frame = encodeInput("echo hi\r");
    QVERIFY(d.feed(std::string_view(frame).substr(0, frame.size() - 1)));
    QVERIFY(keys.empty());
    QCOMPARE(d.pending(), frame.size() - 1);
    QVERIFY(d.feed(std::string_view(frame).substr(frame.size() - 1)));
    QCOMPARE(keys, std::string("echo hi\r"));
}

QTEST_APPLESS_MAIN(TestAttachFrame)
#include "tst_attachframe.moc"
