import Foundation

/// What was said in a lesson, segment by segment, with times: the sidecar `<stem>.transcript.tsv`.
///
/// Format: `#` comment lines, then one segment per line, tab-separated: start seconds, end seconds (from the start
/// of the lesson's audio, two decimals), the text. Segments are in order and do not overlap.
///
///     # start	end	text
///     0.30	4.86	Today we learn about magnets.
public struct LessonTranscript: Sendable, Equatable {
    /// One stretch of speech and what the recognizer heard in it.
    public struct Segment: Sendable, Equatable {
        public var startSeconds: Double
        public var endSeconds: Double
        public var text: String

        /// Creates a segment.
        public init(startSeconds: Double, endSeconds: Double, text: String) {
            self.startSeconds = startSeconds
            self.endSeconds = endSeconds
            self.text = text
        }
    }

    /// The segments in order.
    public var segments: [Segment]

    /// A transcript of these segments.
    public init(segments: [Segment]) { self.segments = segments }

    /// Every segment's text, joined: what topic indexing reads.
    public var text: String { segments.map(\.text).filter { !$0.isEmpty }.joined(separator: " ") }

    /// The transcript in the documented format.
    public var tsv: String {
        var lines = ["# start\tend\ttext"]
        for segment in segments {
            // Tabs and line breaks inside recognized text would break the format; they carry no meaning there.
            let text = segment.text.replacingOccurrences(of: "\t", with: " ")
                .replacingOccurrences(of: "\n", with: " ")
            lines.append(String(format: "%.2f\t%.2f\t", segment.startSeconds, segment.endSeconds) + text)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses a transcript; `path` names the file in errors.
    public init(tsv: String, path: String) throws {
        var segments: [Segment] = []
        for (offset, line) in tsv.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            func fail(_ reason: String) -> LessonError { .invalidLine(path: path, line: offset + 1, reason: reason) }
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else {
                throw fail("expected start, end and text separated by tabs, found \(fields.count) field(s)")
            }
            guard let start = Double(fields[0]), let end = Double(fields[1]), start >= 0, end >= start else {
                throw fail("times '\(fields[0])' and '\(fields[1])' are not a start and an end in seconds")
            }
            if let previous = segments.last, start < previous.endSeconds - 0.005 {
                throw fail("starts at \(start) s, before the previous segment ends (\(previous.endSeconds) s)")
            }
            segments.append(Segment(startSeconds: start, endSeconds: end, text: String(fields[2])))
        }
        self.segments = segments
    }
}
