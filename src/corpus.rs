//! The human text of the text family: tokenisation, vocabulary, held-out split and rare words.
//! Pure: it takes bytes or a string, never a path (the command line and the page read the file).
//!
//! # Tokenisation
//! - The text is lowercased (Unicode lowercase mapping).
//! - A *word* is a maximal run of letters (Unicode alphabetic characters), which may contain an
//!   apostrophe or a hyphen *between two letters*: `don't`, `sea-captain`, `ship’s`. The
//!   typographic apostrophe `’` is stored as `'` and the Unicode hyphens U+2010/U+2011 as `-`, so
//!   `don’t` and `don't` are one word type. An apostrophe or hyphen not between two letters
//!   (`'tis`, `sailors'`, `--`) separates words and is dropped.
//! - Each of the six punctuation marks `. , ; : ! ?` is a token of its own.
//! - Every other character (digits, quotes, dashes, brackets, underscores, symbols, whitespace)
//!   separates tokens and is dropped.
//!
//! # Sentences
//! A sentence ends after a run of punctuation tokens that contains `.`, `!` or `?`
//! (`stop ! , he said .` is two sentences, `stop ! ,` and `he said .`), at a paragraph break (a
//! line that is empty or holds only whitespace; so headings without a full stop are sentences of
//! their own), and at the end of the text. A sentence that reaches [`MAX_SENTENCE_TOKENS`]
//! tokens is ended there, so text without punctuation still falls into sentences. Sentences are
//! never empty: punctuation before the first word of a paragraph (or of the text) is dropped, and
//! punctuation after the last word of a sentence belongs to it.
//!
//! # Held-out split
//! Sentences are numbered from 0 in text order; every tenth sentence (number `k` with
//! `k % 10 == 9`) is held out for evaluation (held-out perplexity), the rest is the *training
//! part* that the models learn from and that human draws come from. Spreading the held-out
//! sentences over the whole text gives both parts the same topics and style.
//!
//! # Token ids
//! Ids `0..6` are the punctuation marks in the order of [`PUNCTUATION`] (present or not); word
//! types follow from id [`FIRST_WORD`] by descending frequency in the whole text, ties in
//! alphabetical (byte) order, so `ranked_words()[r]` has id `FIRST_WORD + r`.
//!
//! # Rare words
//! A word type is *rare* when it occurs once or twice in the training part (word types that occur
//! only in held-out sentences are not rare: no model can ever produce them).

use std::fmt;

use rustc_hash::FxHashMap;

/// The punctuation tokens, ids `0..6` in this order.
pub const PUNCTUATION: [&str; 6] = [".", ",", ";", ":", "!", "?"];
/// The first word id (ids below it are punctuation).
pub const FIRST_WORD: u32 = PUNCTUATION.len() as u32;
/// Fewest word tokens a corpus may have: the model needs something to learn from.
pub const MIN_WORDS: usize = 200;
/// Fewest sentences (one in ten is held out, so at least one is).
pub const MIN_SENTENCES: usize = 10;
/// Largest accepted input, in bytes (5 MB; Moby-Dick is 1.2 MB).
pub const MAX_BYTES: usize = 5_000_000;
/// Most word tokens a corpus may have (Moby-Dick has about 210,000).
pub const MAX_WORDS: usize = 1_000_000;
/// A sentence is ended when it reaches this many tokens.
pub const MAX_SENTENCE_TOKENS: usize = 250;
/// A word type seen at most this many times in the training part is rare.
pub const RARE_MAX_COUNT: u32 = 2;
/// Sentence `k` is held out when `k % HELDOUT_EVERY == HELDOUT_EVERY - 1`.
pub const HELDOUT_EVERY: usize = 10;
/// More than this share of control characters (other than tab, newline, carriage return and
/// form feed) marks the input as binary.
pub const MAX_CONTROL_SHARE: f64 = 0.01;

/// Why a text cannot be used as the human corpus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CorpusError {
    /// No bytes at all.
    Empty,
    /// Not valid UTF-8; `offset` is the byte offset of the first invalid byte.
    NotUtf8 { offset: usize },
    /// Looks like a binary file: NUL bytes, or too many control characters.
    Binary { reason: String },
    /// More than [`MAX_BYTES`] bytes.
    TooManyBytes { bytes: usize },
    /// More than [`MAX_WORDS`] word tokens.
    TooManyWords { words: usize },
    /// Fewer than [`MIN_WORDS`] word tokens.
    TooFewWords { words: usize },
    /// Fewer than [`MIN_SENTENCES`] sentences.
    TooFewSentences { sentences: usize },
    /// Not a corpus in [`Corpus::to_packed`]'s form.
    Malformed { reason: String },
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CorpusError::Empty => write!(f, "the text is empty"),
            CorpusError::Malformed { reason } => write!(f, "this is not a packed corpus: {reason}"),
            CorpusError::NotUtf8 { offset } => {
                write!(f, "the text is not UTF-8 (invalid byte at offset {offset}); save it as UTF-8 plain text")
            }
            CorpusError::Binary { reason } => {
                write!(f, "this looks like a binary file, not plain text ({reason}); use a UTF-8 .txt file")
            }
            CorpusError::TooManyBytes { bytes } => {
                write!(f, "the text is too large: {bytes} bytes, at most {MAX_BYTES} bytes (5 MB) are accepted")
            }
            CorpusError::TooManyWords { words } => {
                write!(f, "the text is too large: {words} words or more, at most {MAX_WORDS} words are accepted")
            }
            CorpusError::TooFewWords { words } => write!(
                f,
                "the text is too small: {words} words, at least {MIN_WORDS} are needed for the model to learn from"
            ),
            CorpusError::TooFewSentences { sentences } => write!(
                f,
                "the text has only {sentences} sentences; at least {MIN_SENTENCES} are needed \
                 (one in ten is held out to measure perplexity)"
            ),
        }
    }
}

impl std::error::Error for CorpusError {}

/// The first bytes of [`Corpus::to_packed`]'s form (the number is its version).
const PACKED_MAGIC: &[u8] = b"collapse corpus 1\n";

/// Appends `v` as an unsigned LEB128 varint (7 bits a byte, low first).
fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Why [`take_varint`] found no number.
const ENDS_EARLY: &str = "it ends early";
const TOO_LONG: &str = "a number does not fit in 64 bits";

/// Takes an unsigned LEB128 varint off the front of `input`; an error (what is wrong, for
/// [`CorpusError::Malformed`]) if it ends early or does not fit in 64 bits.
fn take_varint(input: &mut &[u8]) -> Result<u64, &'static str> {
    let mut v = 0u64;
    for (i, &b) in input.iter().enumerate() {
        // The tenth byte holds bit 63 alone: anything more does not fit.
        if i == 9 && b > 1 {
            return Err(TOO_LONG);
        }
        v |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            *input = &input[i + 1..];
            return Ok(v);
        }
    }
    Err(ENDS_EARLY)
}

/// One piece of tokenised text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Piece<'a> {
    /// A lowercased word.
    Word(&'a str),
    /// A punctuation mark, index into [`PUNCTUATION`].
    Punct(usize),
    /// A blank line.
    ParagraphBreak,
}

/// Apostrophes and hyphens that join letters into one word, with their stored form.
fn joiner(c: char) -> Option<char> {
    match c {
        '\'' | '\u{2019}' => Some('\''),
        '-' | '\u{2010}' | '\u{2011}' => Some('-'),
        _ => None,
    }
}

fn punctuation_index(c: char) -> Option<usize> {
    match c {
        '.' => Some(0),
        ',' => Some(1),
        ';' => Some(2),
        ':' => Some(3),
        '!' => Some(4),
        '?' => Some(5),
        _ => None,
    }
}

/// Whether a punctuation id ends a sentence (`.`, `!`, `?`).
pub fn is_terminal(id: u32) -> bool {
    matches!(id, 0 | 4 | 5)
}

/// Runs the tokeniser over `text`, calling `emit` for each piece (see the module doc). ASCII is
/// read byte by byte and a run of ASCII letters is lowercased at once; other characters are
/// decoded and lowercased one by one (so `Σ` is always `σ`, as the rule says).
fn scan(text: &str, mut emit: impl FnMut(Piece<'_>)) {
    let bytes = text.as_bytes();
    // The character at byte `i` (a character boundary) and its length in bytes.
    let char_at = |i: usize| -> (char, usize) {
        match bytes[i] {
            b if b.is_ascii() => (b as char, 1),
            _ => {
                let c = text[i..].chars().next().expect("a character starts here");
                (c, c.len_utf8())
            }
        }
    };
    let mut word = String::new();
    let mut newlines = 0usize;
    let mut i = 0;
    let flush = |word: &mut String, emit: &mut dyn FnMut(Piece<'_>)| {
        if !word.is_empty() {
            emit(Piece::Word(word));
            word.clear();
        }
    };
    while i < bytes.len() {
        let (c, len) = char_at(i);
        if c.is_alphabetic() {
            if word.is_empty() {
                if newlines >= 2 {
                    emit(Piece::ParagraphBreak);
                }
                newlines = 0;
            }
            if c.is_ascii() {
                let run = bytes[i..].iter().position(|b| !b.is_ascii_alphabetic()).unwrap_or(bytes.len() - i);
                let from = word.len();
                word.push_str(&text[i..i + run]);
                word[from..].make_ascii_lowercase();
                i += run;
            } else {
                word.extend(c.to_lowercase());
                i += len;
            }
            continue;
        }
        i += len;
        if let Some(j) = joiner(c) {
            if !word.is_empty() && i < bytes.len() && char_at(i).0.is_alphabetic() {
                word.push(j);
                continue;
            }
        }
        flush(&mut word, &mut emit);
        if c == '\n' {
            newlines += 1;
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        if newlines >= 2 {
            emit(Piece::ParagraphBreak);
        }
        newlines = 0;
        if let Some(i) = punctuation_index(c) {
            emit(Piece::Punct(i));
        }
    }
    flush(&mut word, &mut emit);
}

/// The tokens of `text` (lowercased words and punctuation marks), by the rule of the module doc.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    scan(text, |p| match p {
        Piece::Word(w) => out.push(w.to_string()),
        Piece::Punct(i) => out.push(PUNCTUATION[i].to_string()),
        Piece::ParagraphBreak => {}
    });
    out
}

/// The sentences of `text` as token strings, by the rule of the module doc.
pub fn sentences(text: &str) -> Vec<Vec<String>> {
    let (types, seq) = intern(text, usize::MAX).unwrap_or_default();
    seq.sentences().map(|s| s.iter().map(|&i| types[i as usize].clone()).collect()).collect()
}

/// Tokens as one flat sequence with sentence boundaries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Sequence {
    tokens: Vec<u32>,
    /// Exclusive end offset of each sentence.
    ends: Vec<u32>,
}

impl Sequence {
    fn sentences(&self) -> impl Iterator<Item = &[u32]> + '_ {
        let mut start = 0usize;
        self.ends.iter().map(move |&e| {
            let s = &self.tokens[start..e as usize];
            start = e as usize;
            s
        })
    }

    fn push_sentence(&mut self, sentence: &[u32]) {
        self.tokens.extend_from_slice(sentence);
        self.ends.push(self.tokens.len() as u32);
    }
}

/// Tokenises and splits into sentences with provisional ids (punctuation 0..6, words by first
/// appearance). Returns the provisional type strings and the sequence, or the word count as the
/// error when it passes `max_words`.
fn intern(text: &str, max_words: usize) -> Result<(Vec<String>, Sequence), usize> {
    let mut types: Vec<String> = PUNCTUATION.iter().map(|s| s.to_string()).collect();
    let mut ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut seq = Sequence::default();
    let mut current: Vec<u32> = Vec::new();
    let mut pending_end = false;
    let mut words = 0usize;
    let mut over = false;
    let close = |current: &mut Vec<u32>, seq: &mut Sequence| {
        if !current.is_empty() {
            seq.push_sentence(current);
            current.clear();
        }
    };
    scan(text, |piece| {
        if over {
            return;
        }
        match piece {
            Piece::Word(w) => {
                if pending_end || current.len() >= MAX_SENTENCE_TOKENS {
                    close(&mut current, &mut seq);
                    pending_end = false;
                }
                words += 1;
                if words > max_words {
                    over = true;
                    return;
                }
                let id = match ids.get(w) {
                    Some(&id) => id,
                    None => {
                        let id = types.len() as u32;
                        types.push(w.to_string());
                        ids.insert(w.to_string(), id);
                        id
                    }
                };
                current.push(id);
            }
            Piece::Punct(i) => {
                // Punctuation at the very start of a sentence has nothing to attach to: dropped.
                if current.is_empty() {
                    return;
                }
                current.push(i as u32);
                if is_terminal(i as u32) {
                    pending_end = true;
                }
            }
            Piece::ParagraphBreak => {
                close(&mut current, &mut seq);
                pending_end = false;
            }
        }
    });
    if over {
        return Err(words);
    }
    close(&mut current, &mut seq);
    Ok((types, seq))
}

/// The characters of `text` and how many of them are control characters (`char::is_control`)
/// other than tab, newline, carriage return and form feed, counted on the bytes (decoding every
/// character took an eighth of reading Moby-Dick natively, 43 → 38 ms): a character is a byte that
/// does not continue one, and the control characters are U+0000–U+001F and U+007F (one byte
/// each) and U+0080–U+009F (0xC2, then 0x80–0x9F).
fn count_characters(text: &str) -> (usize, usize) {
    let bytes = text.as_bytes();
    let (mut chars, mut control) = (0usize, 0usize);
    for (k, &b) in bytes.iter().enumerate() {
        chars += usize::from(b & 0xc0 != 0x80);
        control += usize::from(match b {
            b'\t' | b'\n' | b'\r' | 0x0c => false,
            0x00..=0x1f | 0x7f => true,
            0xc2 => matches!(bytes.get(k + 1), Some(0x80..=0x9f)),
            _ => false,
        });
    }
    (chars, control)
}

/// The human corpus: vocabulary, training part, held-out part and rare words.
#[derive(Clone, Debug, PartialEq)]
pub struct Corpus {
    /// Token strings by id.
    types: Vec<String>,
    /// Occurrences of each id in the whole text.
    counts: Vec<u32>,
    /// Occurrences of each id in the training part.
    training_counts: Vec<u32>,
    training: Sequence,
    heldout: Sequence,
    /// Rare word ids, ascending.
    rare: Vec<u32>,
    is_rare: Vec<bool>,
    words: usize,
}

impl Corpus {
    /// Reads UTF-8 bytes (a leading byte-order mark is skipped). Errors say what is wrong:
    /// empty, binary, not UTF-8 (with the byte offset), too large or too small.
    pub fn from_bytes(bytes: &[u8]) -> Result<Corpus, CorpusError> {
        if bytes.is_empty() {
            return Err(CorpusError::Empty);
        }
        if bytes.len() > MAX_BYTES {
            return Err(CorpusError::TooManyBytes { bytes: bytes.len() });
        }
        if let Some(at) = bytes.iter().position(|&b| b == 0) {
            return Err(CorpusError::Binary { reason: format!("it contains NUL bytes, the first at offset {at}") });
        }
        let text = std::str::from_utf8(bytes).map_err(|e| CorpusError::NotUtf8 { offset: e.valid_up_to() })?;
        Corpus::from_text(text)
    }

    /// Reads a text (see [`Corpus::from_bytes`] for the errors).
    pub fn from_text(text: &str) -> Result<Corpus, CorpusError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.is_empty() {
            return Err(CorpusError::Empty);
        }
        if text.len() > MAX_BYTES {
            return Err(CorpusError::TooManyBytes { bytes: text.len() });
        }
        let (chars, control) = count_characters(text);
        if text.as_bytes().contains(&0) {
            return Err(CorpusError::Binary { reason: "it contains NUL characters".into() });
        }
        if control as f64 > MAX_CONTROL_SHARE * chars as f64 {
            return Err(CorpusError::Binary {
                reason: format!("{control} of its {chars} characters are control characters"),
            });
        }
        Corpus::build(text).map_err(|words| CorpusError::TooManyWords { words })?.big_enough()
    }

    /// The corpus, if it has at least [`MIN_WORDS`] words and [`MIN_SENTENCES`] sentences.
    fn big_enough(self) -> Result<Corpus, CorpusError> {
        if self.words < MIN_WORDS {
            return Err(CorpusError::TooFewWords { words: self.words });
        }
        let sentences = self.training.ends.len() + self.heldout.ends.len();
        if sentences < MIN_SENTENCES {
            return Err(CorpusError::TooFewSentences { sentences });
        }
        Ok(self)
    }

    /// Builds without the size checks (tests use tiny texts). Errs with the word count when the
    /// text has more than [`MAX_WORDS`] words.
    pub(crate) fn build(text: &str) -> Result<Corpus, usize> {
        let (provisional, seq) = intern(text, MAX_WORDS)?;
        let mut counts = vec![0u32; provisional.len()];
        for &t in &seq.tokens {
            counts[t as usize] += 1;
        }
        // Final ids: punctuation first, then words by descending count, ties alphabetical.
        let mut order: Vec<u32> = (FIRST_WORD..provisional.len() as u32).collect();
        // The provisional types are distinct, so this order is total: unstable sorting gives it.
        order.sort_unstable_by(|&a, &b| {
            counts[b as usize]
                .cmp(&counts[a as usize])
                .then_with(|| provisional[a as usize].cmp(&provisional[b as usize]))
        });
        let mut remap: Vec<u32> = (0..provisional.len() as u32).collect();
        for (rank, &old) in order.iter().enumerate() {
            remap[old as usize] = FIRST_WORD + rank as u32;
        }
        let mut types = vec![String::new(); provisional.len()];
        for (old, s) in provisional.into_iter().enumerate() {
            types[remap[old] as usize] = s;
        }

        let mut training = Sequence::default();
        let mut heldout = Sequence::default();
        let mut sentence: Vec<u32> = Vec::new();
        for (k, s) in seq.sentences().enumerate() {
            sentence.clear();
            sentence.extend(s.iter().map(|&t| remap[t as usize]));
            if k % HELDOUT_EVERY == HELDOUT_EVERY - 1 {
                heldout.push_sentence(&sentence);
            } else {
                training.push_sentence(&sentence);
            }
        }
        Ok(Corpus::assemble(types, training, heldout))
    }

    /// The corpus of these types and parts: the counts, rare words and word total follow from
    /// them (`tokens` in both parts are ids below `types.len()`).
    fn assemble(types: Vec<String>, training: Sequence, heldout: Sequence) -> Corpus {
        let mut counts = vec![0u32; types.len()];
        for &t in &heldout.tokens {
            counts[t as usize] += 1;
        }
        let mut training_counts = vec![0u32; types.len()];
        for &t in &training.tokens {
            training_counts[t as usize] += 1;
        }
        for (all, &training) in counts.iter_mut().zip(&training_counts) {
            *all += training;
        }
        let is_rare: Vec<bool> = (0..types.len())
            .map(|i| i as u32 >= FIRST_WORD && (1..=RARE_MAX_COUNT).contains(&training_counts[i]))
            .collect();
        let rare = (0..types.len() as u32).filter(|&i| is_rare[i as usize]).collect();
        let words = counts[FIRST_WORD as usize..].iter().map(|&c| c as usize).sum();
        Corpus { types, counts, training_counts, training, heldout, rare, is_rare, words }
    }

    /// The corpus in a compact binary form ([`Corpus::from_packed`] reads it back, equal): its
    /// types and both parts' token ids, which is all the rest follows from. A page reads a human
    /// text once (tokenising and ranking Moby-Dick's 215,000 words takes 50–120 ms in a
    /// worker) and hands this form to its other workers, which read it in a few milliseconds.
    pub fn to_packed(&self) -> Vec<u8> {
        let mut out = PACKED_MAGIC.to_vec();
        put_varint(&mut out, self.types.len() as u64);
        for t in &self.types {
            put_varint(&mut out, t.len() as u64);
            out.extend_from_slice(t.as_bytes());
        }
        for part in [&self.training, &self.heldout] {
            put_varint(&mut out, part.tokens.len() as u64);
            for &t in &part.tokens {
                put_varint(&mut out, u64::from(t));
            }
            put_varint(&mut out, part.ends.len() as u64);
            let mut start = 0;
            for &end in &part.ends {
                put_varint(&mut out, u64::from(end - start));
                start = end;
            }
        }
        out
    }

    /// Reads [`Corpus::to_packed`]'s form. Anything else is an error, never a panic or a huge
    /// allocation: the form is checked whole (types as UTF-8, the punctuation first, the words
    /// ranked as [`Corpus::from_text`] ranks them, every id in range, sentences that are not
    /// empty and cover the tokens), and so are the size limits of a text.
    pub fn from_packed(bytes: &[u8]) -> Result<Corpus, CorpusError> {
        let malformed = |what: &str| CorpusError::Malformed { reason: what.to_string() };
        let mut input = bytes.strip_prefix(PACKED_MAGIC).ok_or_else(|| malformed("it does not start as one"))?;
        // Every type and token takes at least one byte: a count over the bytes left is wrong.
        let count = |input: &mut &[u8]| -> Result<usize, CorpusError> {
            let n = take_varint(input).map_err(malformed)?;
            usize::try_from(n).ok().filter(|&n| n <= input.len()).ok_or_else(|| malformed("a count is too large"))
        };
        let type_count = count(&mut input)?;
        let mut types = Vec::with_capacity(type_count);
        for _ in 0..type_count {
            let len = count(&mut input)?;
            let (text, rest) = input.split_at(len);
            input = rest;
            types.push(std::str::from_utf8(text).map_err(|_| malformed("a type is not UTF-8"))?.to_string());
        }
        if types.len() < FIRST_WORD as usize || types.iter().zip(PUNCTUATION).any(|(t, p)| t != p) {
            return Err(malformed("its first types are not the punctuation marks"));
        }
        let mut seen = rustc_hash::FxHashSet::default();
        if !types.iter().all(|t| seen.insert(t.as_str())) {
            return Err(malformed("a type appears twice"));
        }
        let mut parts = [Sequence::default(), Sequence::default()];
        for part in &mut parts {
            let tokens = count(&mut input)?;
            part.tokens.reserve(tokens);
            for _ in 0..tokens {
                let t = take_varint(&mut input).map_err(malformed)?;
                part.tokens.push(
                    u32::try_from(t)
                        .ok()
                        .filter(|&t| (t as usize) < types.len())
                        .ok_or_else(|| malformed("a token id is out of range"))?,
                );
            }
            let sentences = count(&mut input)?;
            let mut end = 0u64;
            for _ in 0..sentences {
                let len = take_varint(&mut input).map_err(malformed)?;
                end = end.saturating_add(len);
                if len == 0 || end > part.tokens.len() as u64 {
                    return Err(malformed("its sentences do not cover its tokens"));
                }
                part.ends.push(end as u32);
            }
            if end != part.tokens.len() as u64 {
                return Err(malformed("its sentences do not cover its tokens"));
            }
        }
        if !input.is_empty() {
            return Err(malformed("bytes follow its end"));
        }
        let [training, heldout] = parts;
        let corpus = Corpus::assemble(types, training, heldout);
        let ranked = corpus.ranked_words();
        let counts = &corpus.counts[FIRST_WORD as usize..];
        if (1..ranked.len()).any(|i| (counts[i - 1], &ranked[i]) <= (counts[i], &ranked[i - 1])) {
            return Err(malformed("its words are not ranked by count, then alphabetically"));
        }
        if corpus.words > MAX_WORDS {
            return Err(CorpusError::TooManyWords { words: corpus.words });
        }
        corpus.big_enough()
    }

    /// Number of token types (the six punctuation marks and every word type); ids are
    /// `0..type_count()`.
    pub fn type_count(&self) -> usize {
        self.types.len()
    }

    /// Number of word types.
    pub fn word_type_count(&self) -> usize {
        self.types.len() - FIRST_WORD as usize
    }

    /// Number of word tokens in the whole text.
    pub fn word_count(&self) -> usize {
        self.words
    }

    /// Whether an id is a word (not punctuation).
    pub fn is_word(id: u32) -> bool {
        id >= FIRST_WORD
    }

    /// The text of a token id.
    pub fn token(&self, id: u32) -> &str {
        &self.types[id as usize]
    }

    /// The id of a token (lowercase word or punctuation mark), if the corpus has it.
    pub fn id(&self, token: &str) -> Option<u32> {
        if let Some(i) = PUNCTUATION.iter().position(|p| *p == token) {
            return Some(i as u32);
        }
        // Words are sorted by count, not text: a linear scan (this is not on any hot path).
        self.types[FIRST_WORD as usize..].iter().position(|w| w == token).map(|r| FIRST_WORD + r as u32)
    }

    /// Word types (no punctuation) by descending frequency in the whole text, ties
    /// alphabetical; `ranked_words()[r]` has id `FIRST_WORD + r`.
    pub fn ranked_words(&self) -> &[String] {
        &self.types[FIRST_WORD as usize..]
    }

    /// Occurrences of `id` in the whole text.
    pub fn count(&self, id: u32) -> u32 {
        self.counts[id as usize]
    }

    /// Occurrences of `id` in the training part.
    pub fn training_count(&self, id: u32) -> u32 {
        self.training_counts[id as usize]
    }

    /// The training part's tokens, sentence after sentence.
    pub fn training_tokens(&self) -> &[u32] {
        &self.training.tokens
    }

    /// Exclusive end offsets of the training sentences in [`Corpus::training_tokens`].
    pub fn training_sentence_ends(&self) -> &[u32] {
        &self.training.ends
    }

    /// The training sentences.
    pub fn training_sentences(&self) -> impl Iterator<Item = &[u32]> + '_ {
        self.training.sentences()
    }

    /// The held-out part's tokens, sentence after sentence.
    pub fn heldout_tokens(&self) -> &[u32] {
        &self.heldout.tokens
    }

    /// Exclusive end offsets of the held-out sentences in [`Corpus::heldout_tokens`].
    pub fn heldout_sentence_ends(&self) -> &[u32] {
        &self.heldout.ends
    }

    /// The held-out sentences.
    pub fn heldout_sentences(&self) -> impl Iterator<Item = &[u32]> + '_ {
        self.heldout.sentences()
    }

    /// Whether `id` is a rare word (one or two occurrences in the training part).
    pub fn is_rare(&self, id: u32) -> bool {
        self.is_rare.get(id as usize).copied().unwrap_or(false)
    }

    /// The rare word ids, ascending (most frequent in the whole text first).
    pub fn rare_words(&self) -> &[u32] {
        &self.rare
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<String> {
        tokenize(text)
    }

    /// `sentences` filler sentences of 20 words each.
    fn filler(sentences: usize) -> String {
        let words = ["alpha", "beta", "gamma", "delta", "epsilon"];
        let mut s = String::new();
        for i in 0..sentences {
            for j in 0..20 {
                s.push_str(words[(i + j) % words.len()]);
                s.push(' ');
            }
            s.push_str(".\n");
        }
        s
    }

    #[test]
    fn words_are_lowercased_letter_runs_with_internal_apostrophes_and_hyphens() {
        assert_eq!(toks("Don't stop, Sea-Captain!"), ["don't", "stop", ",", "sea-captain", "!"]);
        // Typographic apostrophe and Unicode hyphen are normalised.
        assert_eq!(toks("the ship’s sea\u{2010}chest"), ["the", "ship's", "sea-chest"]);
        // Apostrophes and hyphens not between letters separate and are dropped.
        assert_eq!(toks("'tis the sailors' -- whale-"), ["tis", "the", "sailors", "whale"]);
        assert_eq!(toks("a--b a-'b"), ["a", "b", "a", "b"]);
        // Unicode letters count; digits, quotes, dashes, brackets, underscores separate.
        assert_eq!(toks("Élan VITAL, naïve"), ["élan", "vital", ",", "naïve"]);
        // ASCII and other letters in one word, each lowercased on its own (so a capital sigma is
        // always σ), and a joiner before a letter of either kind.
        assert_eq!(
            toks("CAFÉ StraSSe ÉCOLE-Été x-Ö ΣΟΦΊΑ İz"),
            ["café", "strasse", "école-été", "x-ö", "σοφία", "i\u{307}z"]
        );
        assert_eq!(toks("CHAPTER 1. Loomings."), ["chapter", ".", "loomings", "."]);
        assert_eq!(toks("“Ahab”—(x_y) [z] 42nd"), ["ahab", "x", "y", "z", "nd"]);
        assert_eq!(
            toks("wait... what?! no; yes: ok"),
            ["wait", ".", ".", ".", "what", "?", "!", "no", ";", "yes", ":", "ok"]
        );
        assert!(toks("  \n\t 123 -- “” ").is_empty());
    }

    #[test]
    fn sentences_end_at_terminal_runs_paragraph_breaks_and_the_end() {
        let s = sentences("Stop!, he said. Who? Me?!\nYes\n\nETYMOLOGY\n  \nThe end");
        let want: Vec<Vec<&str>> = vec![
            vec!["stop", "!", ","],
            vec!["he", "said", "."],
            vec!["who", "?"],
            vec!["me", "?", "!"],
            vec!["yes"],
            vec!["etymology"],
            vec!["the", "end"],
        ];
        assert_eq!(s, want);
        // A single newline is not a paragraph break; punctuation opening a sentence is dropped.
        assert_eq!(sentences("one\ntwo.\n\n, three"), vec![vec!["one", "two", "."], vec!["three"]]);
        // Overlong sentences are cut.
        let long = "word ".repeat(MAX_SENTENCE_TOKENS + 10);
        let s = sentences(&long);
        assert_eq!(s.iter().map(Vec::len).collect::<Vec<_>>(), vec![MAX_SENTENCE_TOKENS, 10]);
    }

    #[test]
    fn ids_rank_words_by_frequency_then_alphabet_and_every_tenth_sentence_is_held_out() {
        // 12 sentences; sentence 9 ("b c .") is held out.
        let mut text = String::new();
        for k in 0..12 {
            text.push_str(if k == 9 { "b c. " } else { "c b a, a. " });
        }
        let c = Corpus::build(&text).unwrap();
        // Whole-text counts: a 22, b 12, c 12 (b before c alphabetically).
        assert_eq!(c.ranked_words(), ["a", "b", "c"]);
        assert_eq!((c.id("a"), c.id("c"), c.id(","), c.id("zebra")), (Some(6), Some(8), Some(1), None));
        assert_eq!(c.count(6), 22);
        assert_eq!(c.heldout_sentences().count(), 1);
        assert_eq!(c.heldout_tokens(), [7, 8, 0]);
        assert_eq!(c.training_sentences().count(), 11);
        assert_eq!(c.training_sentence_ends()[..2], [6, 12]);
        assert_eq!(c.training_tokens()[..6], [8, 7, 6, 1, 6, 0]);
        assert_eq!((c.training_count(7), c.training_count(8)), (11, 11));
        assert_eq!(c.word_count(), 22 + 12 + 12);
        assert_eq!(c.type_count(), 9);
    }

    #[test]
    fn rare_words_occur_once_or_twice_in_the_training_part() {
        let mut text = filler(9);
        // Sentence 9 is held out: "heldonly" is never seen in training.
        text.push_str("heldonly twice once.\n");
        text.push_str("twice thrice thrice thrice.\n");
        let c = Corpus::build(&text).unwrap();
        let rare: Vec<&str> = c.rare_words().iter().map(|&i| c.token(i)).collect();
        assert_eq!(rare, ["twice"]);
        assert!(c.is_rare(c.id("twice").unwrap()));
        assert!(!c.is_rare(c.id("heldonly").unwrap()) && !c.is_rare(c.id("thrice").unwrap()));
        assert!(!c.is_rare(0) && !c.is_rare(9999));
        // "once" occurs only in the held-out sentence.
        assert_eq!(c.training_count(c.id("once").unwrap()), 0);
    }

    #[test]
    fn characters_and_control_characters_are_counted_as_decoding_would() {
        // Every control character, C1 ones included, beside letters of one to four bytes and the
        // bytes around 0xC2 0x80–0x9F that are not C1 controls (U+00A0, U+0100, U+20AC).
        let mut text: String = (0u32..0x110).filter_map(char::from_u32).collect();
        text.push_str("a\u{a0}é\u{100}€𝄞\u{9f}\u{80}\t\n\r\x0c\x0b\x7f");
        let decoded = text.chars().count();
        let control = text.chars().filter(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c')).count();
        assert_eq!(count_characters(&text), (decoded, control));
        assert_eq!(count_characters("ab\u{85}c"), (4, 1));
        assert_eq!(count_characters(""), (0, 0));
    }

    #[test]
    fn the_packed_form_reads_back_equal_and_anything_else_is_an_error() {
        let mut text = filler(30);
        text.push_str("Sea-captain's log! Don't stop, café: ninety-nine? The end.\n\nA heading\n");
        let corpus = Corpus::from_text(&text).unwrap();
        let packed = corpus.to_packed();
        assert_eq!(Corpus::from_packed(&packed).unwrap(), corpus);
        // Every proper prefix, and every single byte changed, is refused or reads as a corpus;
        // neither panics.
        for len in 0..packed.len() {
            assert!(Corpus::from_packed(&packed[..len]).is_err(), "prefix of {len} bytes");
        }
        for i in 0..packed.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut bad = packed.clone();
                bad[i] ^= flip;
                let _ = Corpus::from_packed(&bad);
            }
        }
        let msg = |bytes: &[u8]| Corpus::from_packed(bytes).unwrap_err().to_string();
        assert!(msg(text.as_bytes()).contains("not a packed corpus"));
        let mut trailing = packed.clone();
        trailing.push(0);
        assert!(msg(&trailing).contains("bytes follow its end"));
        // A text's own limits hold: too few words.
        let small = Corpus::build("a b c. d e f. g h i. j k l. m n o. p q r. s t u. v w x. y z a. b c d.").unwrap();
        assert!(msg(&small.to_packed()).contains("too small"));
        // The words must be ranked as from_text ranks them: swap the first two word types.
        let mut swapped = corpus.clone();
        swapped.types.swap(FIRST_WORD as usize, FIRST_WORD as usize + 1);
        assert!(msg(&swapped.to_packed()).contains("not ranked"));
        // A token id past the types.
        let mut out_of_range = corpus.clone();
        out_of_range.training.tokens[0] = corpus.types.len() as u32;
        assert!(msg(&out_of_range.to_packed()).contains("out of range"));
        // A type twice: a word that is also a punctuation mark, or two equal words (ranked as
        // from_text would rank distinct words of those counts).
        let mut twice = corpus.clone();
        twice.types[FIRST_WORD as usize] = PUNCTUATION[0].to_string();
        assert!(msg(&twice.to_packed()).contains("a type appears twice"));
        let mut twice = corpus.clone();
        let last = twice.types.len() - 1;
        twice.types[last] = twice.types[FIRST_WORD as usize].clone();
        assert!(msg(&twice.to_packed()).contains("a type appears twice"));
        // A number past 64 bits is named as such, not as the end.
        let mut overlong = PACKED_MAGIC.to_vec();
        overlong.extend([0xff; 9].iter().chain(&[0x02, 0x00]));
        assert!(msg(&overlong).contains("does not fit in 64 bits"), "{}", msg(&overlong));
        // A count larger than the bytes left is refused before anything is allocated.
        let mut huge = PACKED_MAGIC.to_vec();
        put_varint(&mut huge, u64::MAX);
        assert!(msg(&huge).contains("too large"));
    }

    #[test]
    fn varints_round_trip_and_overlong_ones_are_refused() {
        for v in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            let mut out = Vec::new();
            put_varint(&mut out, v);
            let mut input = &out[..];
            assert_eq!(take_varint(&mut input), Ok(v));
            assert!(input.is_empty());
        }
        assert_eq!(take_varint(&mut &[0x80u8; 11][..]), Err(TOO_LONG));
        assert_eq!(take_varint(&mut &[0x80u8, 0x80][..]), Err(ENDS_EARLY));
        assert_eq!(take_varint(&mut &[][..]), Err(ENDS_EARLY));
        let mut too_big = [0xffu8; 10];
        too_big[9] = 0x02;
        assert_eq!(take_varint(&mut &too_big[..]), Err(TOO_LONG));
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let msg = |r: Result<Corpus, CorpusError>| r.unwrap_err().to_string();
        assert_eq!(msg(Corpus::from_bytes(b"")), "the text is empty");
        assert_eq!(msg(Corpus::from_text("\u{feff}")), "the text is empty");
        let m = msg(Corpus::from_bytes(b"caf\xc3\xa9 ok \xff\xfe bad"));
        assert!(m.contains("not UTF-8") && m.contains("offset 9"), "{m}");
        let m = msg(Corpus::from_bytes(b"PK\x03\x04\x00\x00binary"));
        assert!(m.contains("binary") && m.contains("NUL") && m.contains("offset 4"), "{m}");
        let mut controls = filler(20);
        controls.push_str(&"\x01\x02\x1b".repeat(200));
        let m = msg(Corpus::from_text(&controls));
        assert!(m.contains("binary") && m.contains("control characters"), "{m}");
        let m = msg(Corpus::from_text("Call me Ishmael. Some years ago."));
        assert!(m.contains("too small") && m.contains("6 words") && m.contains("at least 200"), "{m}");
        let m = msg(Corpus::from_text(&"whale ".repeat(300)));
        assert!(m.contains("only 2 sentences") && m.contains("at least 10"), "{m}");
        let m = msg(Corpus::from_bytes(&vec![b'a'; MAX_BYTES + 1]));
        assert!(m.contains("too large") && m.contains("5000001 bytes"), "{m}");
        let m = msg(Corpus::from_text(&"a. ".repeat(MAX_WORDS + 1)));
        assert!(m.contains("too large") && m.contains("at most 1000000 words"), "{m}");
        // Just big enough is fine.
        let ok = Corpus::from_text(&filler(10)).unwrap();
        assert_eq!(ok.word_count(), 200);
        assert_eq!(ok.heldout_sentences().count(), 1);
        let short = filler(10);
        let m = msg(Corpus::from_text(short.split_once(' ').unwrap().1));
        assert!(m.contains("199 words"), "{m}");
    }
}
