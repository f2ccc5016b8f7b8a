; An untyped STRIPS domain with type predicates, an action without
; parameters and atoms of arity 0.
(define (domain rooms)
  (:requirements :strips :negative-preconditions)
  (:predicates (room ?r) (at ?r) (adj ?a ?b) (power) (lit ?r))
  (:action switch-power
    :parameters ()
    :precondition (not (power))
    :effect (power))
  (:action move
    :parameters (?a ?b)
    :precondition (and (room ?a) (room ?b) (at ?a) (adj ?a ?b))
    :effect (and (at ?b) (not (at ?a))))
  (:action light
    :parameters (?r)
    :precondition (and (power) (at ?r))
    :effect (lit ?r)))
