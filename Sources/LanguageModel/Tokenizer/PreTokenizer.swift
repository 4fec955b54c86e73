/// The rule that splits text into words before BPE merges, named as `tokenizer.ggml.pre` names it.
///
/// Each is a hand-written scanner equal to the regular expression in the model's tokenizer.json (given beside each
/// case): Foundation's NSRegularExpression would need `\p{L}` classes over every scalar and runs far slower.
/// `\s` is Unicode White_Space; `\p{L}`, `\p{N}` are the general categories L* and N*.
public enum PreTokenizer: String, Sendable, CaseIterable {
    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
    case gpt2 = "gpt2"
    /// SmolLM2 (StarCoder's rule): every digit alone (`\p{N}`), then GPT-2's rule inside each remaining piece.
    case smollm = "smollm"
    /// Qwen2: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|
    /// \s+(?!\S)|\s+`.
    case qwen2 = "qwen2"
    /// Llama 3: Qwen2's rule with digits in runs of up to three (`\p{N}{1,3}`).
    case llama3 = "llama-bpe"

    /// The pre-tokenizer for a `tokenizer.ggml.pre` value (llama.cpp's names); absent or "default" means GPT-2.
    ///
    /// llama.cpp's own "default" for old files without the key is a legacy mix of four rules; GPT-2's is what such
    /// vocabularies were trained with.
    public init?(metadataName: String?) {
        guard let name = metadataName, name != "default" else {
            self = .gpt2
            return
        }
        switch name {
        case "gpt2", "gpt-2": self = .gpt2
        case "smollm", "starcoder", "refact", "command-r": self = .smollm
        case "qwen2", "stablelm2": self = .qwen2
        case "llama-bpe", "llama3", "llama-v3": self = .llama3
        default: return nil
        }
    }

    /// Splits `scalars` into words, appending each word's end index (exclusive) to `ends`.
    ///
    /// Indices count Unicode scalars. Words are contiguous and cover the whole input.
    func split(_ scalars: UnsafeBufferPointer<UInt32>, classes: UnsafeBufferPointer<UInt8>, into ends: inout [Int]) {
        var scanner = WordScanner(scalars: scalars, classes: classes, ends: ends)
        switch self {
        case .gpt2:
            scanner.scanGPT2(from: 0, to: scalars.count)
        case .smollm:
            // StarCoder isolates every number scalar first; GPT-2's rule then sees each piece on its own, so
            // `\s+(?!\S)` cannot look past a digit.
            var pieceStart = 0
            for index in 0..<scalars.count where classes[index] == ScalarClass.number {
                if pieceStart < index { scanner.scanGPT2(from: pieceStart, to: index) }
                scanner.ends.append(index + 1)
                pieceStart = index + 1
            }
            if pieceStart < scalars.count { scanner.scanGPT2(from: pieceStart, to: scalars.count) }
        case .qwen2:
            scanner.scanQwen2(from: 0, to: scalars.count, maximumDigits: 1)
        case .llama3:
            scanner.scanQwen2(from: 0, to: scalars.count, maximumDigits: 3)
        }
        ends = scanner.ends
    }
}

/// The classes the splitting rules test, one byte per scalar.
enum ScalarClass {
    /// Any other scalar: punctuation, symbols, marks, controls, unassigned.
    static let other: UInt8 = 0
    /// General category L*.
    static let letter: UInt8 = 1
    /// General category N*.
    static let number: UInt8 = 2
    /// Unicode White_Space.
    static let whitespace: UInt8 = 3

    /// ASCII classes, computed once.
    static let ascii: [UInt8] = (0..<128).map { classify(Unicode.Scalar(UInt8($0))) }

    /// The class of one scalar.
    @inline(__always)
    static func of(_ value: UInt32) -> UInt8 {
        if value < 128 { return ascii[Int(value)] }
        guard let scalar = Unicode.Scalar(value) else { return other }
        return classify(scalar)
    }

    static func classify(_ scalar: Unicode.Scalar) -> UInt8 {
        let properties = scalar.properties
        if properties.isWhitespace { return whitespace }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return letter
        case .decimalNumber, .letterNumber, .otherNumber: return number
        default: return other
        }
    }
}

/// One pass of a splitting rule over a range of scalars; reads outside the range as "nothing".
private struct WordScanner {
    let scalars: UnsafeBufferPointer<UInt32>
    let classes: UnsafeBufferPointer<UInt8>
    var ends: [Int]
    /// A class value that matches no test: what the rules see past the end of the piece.
    static let outside: UInt8 = 255

    init(scalars: UnsafeBufferPointer<UInt32>, classes: UnsafeBufferPointer<UInt8>, ends: [Int]) {
        self.scalars = scalars
        self.classes = classes
        self.ends = ends
    }

    /// Whether the scalars at `position` start one of the English contractions; returns its length (2 or 3) or 0.
    @inline(__always)
    func contractionLength(at position: Int, end: Int, caseInsensitive: Bool) -> Int {
        guard scalars[position] == 0x27, position + 1 < end else { return 0 }
        func folded(_ value: UInt32) -> UInt32 {
            caseInsensitive && value >= 0x41 && value <= 0x5A ? value + 0x20 : value
        }
        let next = folded(scalars[position + 1])
        if next == 0x73 || next == 0x74 || next == 0x6D || next == 0x64 { return 2 }  // s t m d
        guard position + 2 < end else { return 0 }
        let nextNext = folded(scalars[position + 2])
        if (next == 0x72 && nextNext == 0x65) || (next == 0x76 && nextNext == 0x65)
            || (next == 0x6C && nextNext == 0x6C)
        {
            return 3  // re ve ll
        }
        return 0
    }

    /// GPT-2's rule over `start..<end`.
    mutating func scanGPT2(from start: Int, to end: Int) {
        @inline(__always) func classAt(_ index: Int) -> UInt8 { index < end ? classes[index] : Self.outside }
        var position = start
        while position < end {
            let length = contractionLength(at: position, end: end, caseInsensitive: false)
            if length > 0 {
                position += length
                ends.append(position)
                continue
            }
            // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`: an optional space, then a run of one class.
            let leadingSpace = scalars[position] == 0x20
            let runClass = leadingSpace ? classAt(position + 1) : classes[position]
            if runClass == ScalarClass.letter || runClass == ScalarClass.number || runClass == ScalarClass.other {
                position += leadingSpace ? 2 : 1
                while position < end && classes[position] == runClass { position += 1 }
                ends.append(position)
                continue
            }
            // `\s+(?!\S)` then `\s+`: a whitespace run leaves its last scalar to the word that follows.
            var runEnd = position
            while runEnd < end && classes[runEnd] == ScalarClass.whitespace { runEnd += 1 }
            if runEnd - position > 1 && runEnd < end {
                position = runEnd - 1
            } else {
                position = max(runEnd, position + 1)
            }
            ends.append(position)
        }
    }

    /// Qwen2's rule (and Llama 3's, with `maximumDigits` 3) over `start..<end`.
    mutating func scanQwen2(from start: Int, to end: Int, maximumDigits: Int) {
        @inline(__always) func classAt(_ index: Int) -> UInt8 { index < end ? classes[index] : Self.outside }
        @inline(__always) func isLineBreak(_ index: Int) -> Bool {
            index < end && (scalars[index] == 0x0A || scalars[index] == 0x0D)
        }
        var position = start
        while position < end {
            let length = contractionLength(at: position, end: end, caseInsensitive: true)
            if length > 0 {
                position += length
                ends.append(position)
                continue
            }
            let scalarClass = classes[position]
            // `[^\r\n\p{L}\p{N}]?\p{L}+`
            if !isLineBreak(position) && scalarClass != ScalarClass.number
                && (scalarClass == ScalarClass.letter || classAt(position + 1) == ScalarClass.letter)
            {
                position += 1
                while position < end && classes[position] == ScalarClass.letter { position += 1 }
                ends.append(position)
                continue
            }
            // `\p{N}` (or `\p{N}{1,3}`)
            if scalarClass == ScalarClass.number {
                var count = 0
                while position < end && classes[position] == ScalarClass.number && count < maximumDigits {
                    position += 1
                    count += 1
                }
                ends.append(position)
                continue
            }
            // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
            let leadingSpace = scalars[position] == 0x20
            if (leadingSpace ? classAt(position + 1) : scalarClass) == ScalarClass.other {
                position += leadingSpace ? 2 : 1
                while position < end && classes[position] == ScalarClass.other { position += 1 }
                while isLineBreak(position) { position += 1 }
                ends.append(position)
                continue
            }
            // `\s*[\r\n]+`, `\s+(?!\S)`, `\s+`
            var runEnd = position
            var lastLineBreakEnd = -1
            while runEnd < end && classes[runEnd] == ScalarClass.whitespace {
                if isLineBreak(runEnd) { lastLineBreakEnd = runEnd + 1 }
                runEnd += 1
            }
            if lastLineBreakEnd > 0 {
                position = lastLineBreakEnd
            } else if runEnd - position > 1 && runEnd < end {
                position = runEnd - 1
            } else {
                position = max(runEnd, position + 1)
            }
            ends.append(position)
        }
    }
}
