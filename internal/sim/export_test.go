package sim

// RemoveOsimages empties the osimage table of the world rooted at root
// (tests of "no osimage at all").
func RemoveOsimages(root string) error {
	return store{root: root}.Update(func(s *State) error { s.Osimages = nil; return nil })
}
