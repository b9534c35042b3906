package commands

import (
	"strings"
)

// Describing users as rules (ACL LIST, ACL GETUSER, ACL SAVE), the way
// Redis 7.0 does it: the command rules are not kept as typed but rebuilt
// from the selector's bitmap, starting from +@all or -@all, adding the
// categories that fit best, then the single commands that still differ.
// Where Redis walks its command dict (an order that changes from one
// process to the next), Spool walks its table by name.

// describeCommands is ACLDescribeSelectorCommandRules.
func (ac *aclCommands) describeCommands(s *aclSelector) string {
	var rules []string
	fake := ac.newSelector(false, false)
	additive := !s.bit(ac.n) // the future-commands bit: only +@all sets it
	if additive {
		rules = append(rules, "-@all")
	} else {
		rules = append(rules, "+@all")
		fake.setAll(true)
	}

	// Best-fit categories: repeatedly take the category with the fewest
	// commands that differ from the user (and more in common than not),
	// applying it to the fake selector and its inverse to a scratch copy
	// of the user's bits, so that no command is counted twice.
	temp := ac.newSelector(false, false)
	copy(temp.allowed, s.allowed)
	applied := make([]bool, len(aclCategories))
	for {
		best, minDiff, maxSame := -1, int(^uint(0)>>1), 0
		for j, name := range aclCategories {
			if applied[j] {
				continue
			}
			on, off := ac.countCategory(temp, aclCategoryBit(name))
			diff, same := off, on
			if !additive {
				diff, same = on, off
			}
			if same > diff && (diff < minDiff || (diff == minDiff && same > maxSame)) {
				best, minDiff, maxSame = j, diff, same
			}
		}
		if best < 0 {
			break
		}
		cat := aclCategoryBit(aclCategories[best])
		fake.setCategory(ac, cat, additive)
		temp.setCategory(ac, cat, !additive)
		sign := "+@"
		if !additive {
			sign = "-@"
		}
		rules = append(rules, sign+aclCategories[best])
		applied[best] = true
	}

	// Single commands that still differ, and allowed first arguments.
	ac.walk(func(c *Command) {
		id := ac.ids[c]
		user := s.bit(id)
		if user != fake.bit(id) {
			sign := "-"
			if user {
				sign = "+"
			}
			rules = append(rules, sign+c.Name)
			fake.changePerm(ac, c, user)
		}
		if !user {
			for _, arg := range s.firstArgs[id] {
				rules = append(rules, "+"+c.Name+"|"+arg)
			}
		}
	})
	return strings.Join(rules, " ")
}

// countCategory is ACLCountCategoryBitsForSelector: how many commands of
// the category the selector allows and denies.
func (ac *aclCommands) countCategory(s *aclSelector, cat uint64) (on, off int) {
	ac.walk(func(c *Command) {
		if c.aclCategories()&cat == 0 {
			return
		}
		if s.bit(ac.ids[c]) {
			on++
		} else {
			off++
		}
	})
	return on, off
}

// keysRule is the selector's key patterns as GETUSER shows them.
func (s *aclSelector) keysRule() string {
	if s.allKeys {
		return "~*"
	}
	parts := make([]string, len(s.keys))
	for i, k := range s.keys {
		parts[i] = k.String()
	}
	return strings.Join(parts, " ")
}

// channelsRule is the selector's channel patterns as GETUSER shows them.
func (s *aclSelector) channelsRule() string {
	if s.allChannels {
		return "&*"
	}
	parts := make([]string, len(s.channels))
	for i, c := range s.channels {
		parts[i] = "&" + c
	}
	return strings.Join(parts, " ")
}

// describeSelector is ACLDescribeSelector: keys, channels, then commands.
func (ac *aclCommands) describeSelector(s *aclSelector) string {
	var b strings.Builder
	if s.allKeys {
		b.WriteString("~* ")
	} else {
		for _, k := range s.keys {
			b.WriteString(k.String())
			b.WriteByte(' ')
		}
	}
	if s.allChannels {
		b.WriteString("&* ")
	} else {
		b.WriteString("resetchannels ")
		for _, c := range s.channels {
			b.WriteString("&" + c + " ")
		}
	}
	b.WriteString(ac.describeCommands(s))
	return b.String()
}

// flags are the user's flags in ACLUserFlags order.
func (u *aclUser) flags() []string {
	var out []string
	if u.enabled {
		out = append(out, "on")
	} else {
		out = append(out, "off")
	}
	if u.nopass {
		out = append(out, "nopass")
	}
	if u.sanitize == "skip-sanitize-payload" {
		out = append(out, "skip-sanitize-payload")
	} else if u.sanitize == "sanitize-payload" {
		out = append(out, "sanitize-payload")
	}
	return out
}

// describe is ACLDescribeUser: the user's rules in ACL file form, without
// "user <name>".
func (ac *aclCommands) describe(u *aclUser) string {
	var b strings.Builder
	for _, f := range u.flags() {
		b.WriteString(f + " ")
	}
	for _, p := range u.passwords {
		b.WriteString("#" + p + " ")
	}
	for _, s := range u.selectors {
		if s.root {
			b.WriteString(ac.describeSelector(s))
		} else {
			b.WriteString(" (" + ac.describeSelector(s) + ")")
		}
	}
	return b.String()
}
