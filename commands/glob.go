package commands

// GlobMatch reports whether str matches the glob pattern exactly as Redis's
// stringmatchlen does (KEYS, SCAN MATCH, CONFIG GET, PSUBSCRIBE): '*', '?',
// '[abc]', '[^a-z]', and '\' escapes. Ranges compare bytes as C's signed
// char, as Redis does on x86.
func GlobMatch(pattern, str []byte, nocase bool) bool {
	skip := false
	return globMatch(pattern, str, nocase, &skip, 0)
}

func globMatch(pattern, str []byte, nocase bool, skipLonger *bool, nesting int) bool {
	// Redis's protection against abusive patterns.
	if nesting > 1000 {
		return false
	}
	p, s := 0, 0
	pl, sl := len(pattern), len(str)
	// at reads the pattern like the NUL-terminated C string it is there.
	at := func(i int) byte {
		if i >= 0 && i < len(pattern) {
			return pattern[i]
		}
		return 0
	}
	for pl > 0 && sl > 0 {
		switch at(p) {
		case '*':
			for pl > 0 && at(p+1) == '*' {
				p++
				pl--
			}
			if pl == 1 {
				return true
			}
			for sl > 0 {
				if globMatch(pattern[p+1:p+pl], str[s:s+sl], nocase, skipLonger, nesting+1) {
					return true
				}
				if *skipLonger {
					return false
				}
				s++
				sl--
			}
			*skipLonger = true
			return false
		case '?':
			s++
			sl--
		case '[':
			p++
			pl--
			not := at(p) == '^'
			if not {
				p++
				pl--
			}
			match := false
		class:
			for {
				switch {
				case at(p) == '\\' && pl >= 2:
					p++
					pl--
					if at(p) == str[s] {
						match = true
					}
				case at(p) == ']':
					break class
				case pl == 0:
					p--
					pl++
					break class
				case pl >= 3 && at(p+1) == '-':
					start, end, c := int(int8(at(p))), int(int8(at(p+2))), int(int8(str[s]))
					if start > end {
						start, end = end, start
					}
					if nocase {
						start, end, c = lower(start), lower(end), lower(c)
					}
					p += 2
					pl -= 2
					if c >= start && c <= end {
						match = true
					}
				default:
					if at(p) == str[s] || (nocase && lower(int(at(p))) == lower(int(str[s]))) {
						match = true
					}
				}
				p++
				pl--
			}
			if not {
				match = !match
			}
			if !match {
				return false
			}
			s++
			sl--
		case '\\':
			if pl >= 2 {
				p++
				pl--
			}
			fallthrough
		default:
			if at(p) != str[s] && !(nocase && lower(int(at(p))) == lower(int(str[s]))) {
				return false
			}
			s++
			sl--
		}
		p++
		pl--
		if sl == 0 {
			for at(p) == '*' {
				p++
				pl--
			}
			break
		}
	}
	return pl == 0 && sl == 0
}

func lower(c int) int {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
