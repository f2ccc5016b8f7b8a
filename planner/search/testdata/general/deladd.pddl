; Effects that delete and add the same atom: the add wins (PDDL's
; delete-before-add), for plain effects when two parameters are bound to
; the same object, for a universal conditional delete, and for a
; conditional add of an atom its condition requires beside an
; unconditional delete of it (the atom stays true).
(define (domain deladd)
  (:requirements :strips :conditional-effects)
  (:predicates (mark ?x) (touched ?x) (lamp ?x) (lit ?x) (ready) (done ?x))
  (:action touch
    :parameters (?x ?y)
    :precondition (mark ?x)
    :effect (and (not (mark ?x)) (mark ?y) (touched ?y)))
  (:action reset
    :parameters (?y)
    :precondition (ready)
    :effect (and (forall (?z) (when (lamp ?z) (not (lit ?z)))) (lit ?y)))
  (:action check
    :parameters (?x)
    :precondition (mark ?x)
    :effect (and (not (lit ?x)) (when (lit ?x) (lit ?x)) (done ?x))))
