import Foundation
import GGUF

/// Who says a chat message.
public enum ChatRole: String, Sendable, CaseIterable {
    /// Instructions that frame the conversation.
    case system
    /// The person asking (the child, through the tutor).
    case user
    /// The model's earlier answers.
    case assistant
}

/// One message of a conversation.
public struct ChatMessage: Sendable, Equatable {
    /// Who says it.
    public var role: ChatRole
    /// What is said.
    public var content: String

    /// A message from `role`.
    public init(_ role: ChatRole, _ content: String) {
        self.role = role
        self.content = content
    }

    /// A system message.
    public static func system(_ content: String) -> ChatMessage { ChatMessage(.system, content) }
    /// A user message.
    public static func user(_ content: String) -> ChatMessage { ChatMessage(.user, content) }
    /// An assistant message.
    public static func assistant(_ content: String) -> ChatMessage { ChatMessage(.assistant, content) }
}

/// The prompt layouts models are trained on, told apart by the markup their templates use.
public enum ChatTemplateFamily: String, Sendable, CaseIterable {
    /// `<|im_start|>role\n...<|im_end|>\n`: SmolLM2, Qwen2, many others.
    case chatML
    /// `<|start_header_id|>role<|end_header_id|>\n\n...<|eot_id|>`: Llama 3.
    case llama3
    /// `[INST] <<SYS>>\n...\n<</SYS>>\n\n... [/INST] ... </s>`: Llama 2 chat.
    case llama2
    /// `[INST] ... [/INST]` without a system block (the system text leads the first user turn): Mistral.
    case mistral
    /// `<start_of_turn>user\n...<end_of_turn>\n`, the assistant called `model`, the system text leading the first
    /// user turn: Gemma.
    case gemma
    /// `<|user|>\n...<|end|>\n`: Phi-3.
    case phi3
    /// `<|user|>\n...</s>\n`: Zephyr.
    case zephyr
}

/// Renders a conversation into the prompt text a model was trained on.
///
/// The family is recognized from the GGUF's `tokenizer.chat_template` by its distinctive markers; the Jinja text
/// is not run. The rendered text leaves out the leading bos token: encode it with `addSpecial: true` (the tokenizer
/// adds bos when the model's metadata asks for it) and `parseSpecial: true` (so the markup becomes its tokens).
///
/// ```swift
/// let template = ChatTemplate(file: gguf) ?? ChatTemplate(family: .chatML)
/// let prompt = template.render([.system("You are a physics tutor."), .user("Why is the sky blue?")])
/// ```
public struct ChatTemplate: Sendable, Equatable {
    /// The layout.
    public var family: ChatTemplateFamily
    /// The system message the template adds when the conversation has none (SmolLM2's "You are a helpful AI
    /// assistant named SmolLM, ..."), or nil.
    public var defaultSystemPrompt: String?

    /// A template of `family`.
    public init(family: ChatTemplateFamily, defaultSystemPrompt: String? = nil) {
        self.family = family
        self.defaultSystemPrompt = defaultSystemPrompt
    }

    /// Recognizes the family of a Jinja chat template; nil when no known markup is in it.
    public init?(jinja template: String) {
        if template.contains("<|im_start|>") {
            family = .chatML
            defaultSystemPrompt = Self.literal(in: template, after: "<|im_start|>system\n", before: "<|im_end|>")
        } else if template.contains("<|start_header_id|>") {
            family = .llama3
        } else if template.contains("<start_of_turn>") {
            family = .gemma
        } else if template.contains("<|assistant|>") && template.contains("<|end|>") {
            family = .phi3
        } else if template.contains("<|assistant|>") {
            family = .zephyr
        } else if template.contains("[INST]") {
            family = template.contains("<<SYS>>") ? .llama2 : .mistral
        } else {
            return nil
        }
        if family != .chatML { defaultSystemPrompt = nil }
    }

    /// The template named by `file`'s `tokenizer.chat_template`; nil when it is absent or of no known family.
    public init?(file: GGUFFile) {
        guard let text = file.metadata["tokenizer.chat_template"]?.string else { return nil }
        self.init(jinja: text)
    }

    /// The text that ends an assistant turn: generation stops when the model writes it.
    public var endOfTurn: String {
        switch family {
        case .chatML: "<|im_end|>"
        case .llama3: "<|eot_id|>"
        case .llama2, .mistral, .zephyr: "</s>"
        case .gemma: "<end_of_turn>"
        case .phi3: "<|end|>"
        }
    }

    /// The prompt for `messages`, ending with the assistant's turn opened when `addGenerationPrompt` is set.
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool = true) -> String {
        var messages = messages
        if messages.first?.role != .system, let system = defaultSystemPrompt {
            messages.insert(.system(system), at: 0)
        }
        switch family {
        case .chatML:
            var text = ""
            for message in messages { text += "<|im_start|>\(message.role.rawValue)\n\(message.content)<|im_end|>\n" }
            if addGenerationPrompt { text += "<|im_start|>assistant\n" }
            return text
        case .llama3:
            var text = ""
            for message in messages {
                text += "<|start_header_id|>\(message.role.rawValue)<|end_header_id|>\n\n"
                text += "\(Self.trimmed(message.content))<|eot_id|>"
            }
            if addGenerationPrompt { text += "<|start_header_id|>assistant<|end_header_id|>\n\n" }
            return text
        case .phi3, .zephyr:
            let end = family == .phi3 ? "<|end|>" : "</s>"
            var text = ""
            for message in messages { text += "<|\(message.role.rawValue)|>\n\(message.content)\(end)\n" }
            if addGenerationPrompt { text += "<|assistant|>\n" }
            return text
        case .gemma:
            var text = ""
            for message in Self.foldingSystem(messages, separator: "\n\n") {
                let role = message.role == .assistant ? "model" : "user"
                text += "<start_of_turn>\(role)\n\(Self.trimmed(message.content))<end_of_turn>\n"
            }
            if addGenerationPrompt { text += "<start_of_turn>model\n" }
            return text
        case .llama2, .mistral:
            let separator = family == .llama2 ? "" : "\n\n"
            var folded = messages
            if family == .llama2, let first = folded.first, first.role == .system {
                folded.removeFirst()
                let block = "<<SYS>>\n\(first.content)\n<</SYS>>\n\n"
                if let user = folded.firstIndex(where: { $0.role == .user }) {
                    folded[user].content = block + folded[user].content
                } else {
                    folded.insert(.user(block), at: 0)
                }
            } else {
                folded = Self.foldingSystem(folded, separator: separator)
            }
            // Every user turn after the first opens with bos; the first bos comes from the tokenizer.
            var text = ""
            var isFirstTurn = true
            for message in folded {
                switch message.role {
                case .user, .system:
                    text += (isFirstTurn ? "" : "<s>") + "[INST] \(Self.trimmed(message.content)) [/INST]"
                    isFirstTurn = false
                case .assistant:
                    text += " \(Self.trimmed(message.content)) </s>"
                }
            }
            return text
        }
    }

    /// Moves a leading system message into the first user message, for layouts without a system role.
    private static func foldingSystem(_ messages: [ChatMessage], separator: String) -> [ChatMessage] {
        guard let first = messages.first, first.role == .system else { return messages }
        var rest = Array(messages.dropFirst())
        if let user = rest.firstIndex(where: { $0.role == .user }) {
            rest[user].content = first.content + separator + rest[user].content
        } else {
            rest.insert(.user(first.content), at: 0)
        }
        return rest
    }

    /// `text` without leading and trailing whitespace, as the templates' `| trim` and `.strip()` do.
    private static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[start...end])
    }

    /// The first literal text between `opening` and `closing` in a template that holds no Jinja expression: later
    /// occurrences are tried when the first is built from variables (Qwen2.5's template opens the system turn for
    /// its tools first, and writes its default system message in a later branch).
    private static func literal(in template: String, after opening: String, before closing: String) -> String? {
        var searchStart = template.startIndex
        while let start = template.range(of: opening, range: searchStart..<template.endIndex) {
            searchStart = start.upperBound
            guard let end = template.range(of: closing, range: start.upperBound..<template.endIndex) else { return nil }
            let text = String(template[start.upperBound..<end.lowerBound])
            if !text.isEmpty && !text.contains("{") && !text.contains("'") && !text.contains("\"") { return text }
        }
        return nil
    }
}
