import Foundation

/// The lines of a UTF-8 text file that hold data: blank lines and `#` comments left out, each with its 1-based line
/// number for error messages. Lines are not trimmed (a TSV row's trailing tab is a field).
func dataLines(of url: URL) throws -> [(number: Int, text: Substring)] {
    let text: String
    do {
        text = try String(contentsOf: url, encoding: .utf8)
    } catch {
        throw UserFacingError("\(url.path): cannot read: \(error.localizedDescription)")
    }
    return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
        let content = line.trimmingCharacters(in: .whitespaces)
        return content.isEmpty || content.hasPrefix("#") ? nil : (index + 1, line)
    }
}
