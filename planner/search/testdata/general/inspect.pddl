; Robots clean and inspect rooms: nested exists/forall in preconditions,
; in conditional-effect conditions and in the goal, a negated existential,
; a disjunction of atoms, an action without parameters, an atom of arity 0,
; and the requirement flags one by one instead of :adl.
(define (domain inspect)
  (:requirements :typing :negative-preconditions :disjunctive-preconditions
                 :existential-preconditions :universal-preconditions
                 :conditional-effects)
  (:types room bot item)
  (:predicates (in ?b - bot ?r - room) (adj ?a ?b - room) (dirty ?i - item)
               (loc ?i - item ?r - room) (checked ?r - room) (worked ?b - bot) (done))
  (:action move
    :parameters (?b - bot ?from ?to - room)
    :precondition (and (in ?b ?from) (or (adj ?from ?to) (adj ?to ?from)))
    :effect (and (not (in ?b ?from)) (in ?b ?to)))
  ; A robot that cleans a room with dirt in it has worked; the condition
  ; reads the state before the dirt is gone.
  (:action clean
    :parameters (?b - bot ?r - room)
    :precondition (in ?b ?r)
    :effect (and (forall (?i - item) (when (loc ?i ?r) (not (dirty ?i))))
                 (when (exists (?i - item) (and (loc ?i ?r) (dirty ?i))) (worked ?b))))
  (:action check
    :parameters (?r - room)
    :precondition (and (exists (?b - bot) (in ?b ?r))
                       (forall (?i - item) (imply (loc ?i ?r) (not (dirty ?i)))))
    :effect (checked ?r))
  (:action sign-off
    :parameters ()
    :precondition (forall (?r - room)
                    (or (checked ?r) (not (exists (?i - item) (loc ?i ?r)))))
    :effect (done)))
