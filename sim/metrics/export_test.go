package metrics

// MembersForTest returns the member list of o the Observer read at its last
// Observe.
func MembersForTest(ob *Observer, o int) []int {
	if len(ob.members[o]) == 0 {
		return nil
	}
	return ob.members[o]
}
