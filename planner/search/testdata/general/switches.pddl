; Switches and lamps under :adl alone: a constant used in an action,
; (imply ...), equality and its negation, a disjunction, a negated
; conjunction, and forall effects whose when-conditions read the state
; before the action.
(define (domain switches)
  (:requirements :adl)
  (:types switch lamp)
  (:constants master - switch)
  (:predicates (on ?s - switch) (wired ?s - switch ?l - lamp) (lit ?l - lamp) (broken ?l - lamp))
  (:action toggle-on
    :parameters (?s - switch)
    :precondition (and (not (on ?s)) (imply (not (= ?s master)) (on master)))
    :effect (and (on ?s)
                 (forall (?l - lamp) (when (and (wired ?s ?l) (not (broken ?l))) (lit ?l)))))
  (:action toggle-off
    :parameters (?s - switch)
    :precondition (on ?s)
    :effect (and (not (on ?s)) (forall (?l - lamp) (when (wired ?s ?l) (not (lit ?l))))))
  ; Exactly one of two different switches is on: swap them (no lamp changes).
  (:action swap
    :parameters (?a ?b - switch)
    :precondition (and (not (= ?a ?b)) (or (on ?a) (on ?b)) (not (and (on ?a) (on ?b))))
    :effect (and (when (on ?a) (and (not (on ?a)) (on ?b)))
                 (when (on ?b) (and (not (on ?b)) (on ?a))))))
