; Packing before a move: every item must be packed or discarded before the
; van leaves (a universally quantified disjunction, which Normalize compiles
; into a derived predicate instead of multiplying it out), and the goal asks
; that every fragile item that was packed be wrapped, and that the van be at
; the depot or the items be all discarded.
(define (domain packing)
  (:requirements :adl)
  (:types item place)
  (:predicates (packed ?i - item) (discarded ?i - item) (wrapped ?i - item)
               (fragile ?i - item) (at ?p - place) (road ?a ?b - place))
  (:action pack :parameters (?i - item)
    :precondition (and (not (packed ?i)) (not (discarded ?i)))
    :effect (packed ?i))
  (:action discard :parameters (?i - item)
    :precondition (and (not (packed ?i)) (not (fragile ?i)))
    :effect (discarded ?i))
  (:action wrap :parameters (?i - item)
    :precondition (and (packed ?i) (fragile ?i))
    :effect (wrapped ?i))
  (:action drive :parameters (?a ?b - place)
    :precondition (and (at ?a) (road ?a ?b)
                       (forall (?i - item) (or (packed ?i) (discarded ?i))))
    :effect (and (at ?b) (not (at ?a)))))
